# Reference dump for jmor's adaptive greedy. Usage, from /tmp/pymor (pyMOR 2022.2.0):
#   TIE=tolerance PYTHONPATH=src:src/pymordemos python3 PATH/TO/adaptive_reference.py --alg=adaptive_greedy 2 2 10 30
# prints the demo's output and a final "JSON {...}" line with every number at full precision.
# Reference dump for jmor's adaptive greedy: runs pyMOR 2022.2's thermalblock demo
# (src/pymordemos/thermalblock.py) with the given args and prints every number at full precision.
# TIE=tolerance patches numpy.argmax (training/validation picks) and the refinement-element order
# to jmor's tolerance tie rule; TIE=argmax leaves pyMOR alone.
import os, sys, types, json
import numpy as np
sys.argv = ['thermalblock'] + sys.argv[1:]
TOL = 1e-10
tie = os.environ.get('TIE', 'tolerance')

import pymor.algorithms.adaptivegreedy as ag
import pymor.algorithms.greedy as gr

def tol_argmax(a, *args, **kw):
    assert not args and not kw
    a = np.asarray(a)
    m = np.max(a)
    return int(np.flatnonzero(a >= (1 - TOL) * m)[0])

def tol_argsort(a, *args, **kw):
    # order such that [::-1] gives: repeatedly the first remaining element >= (1-tol) * remaining max
    a = np.asarray(a, dtype=float)
    rest = list(range(len(a)))
    order = []
    while rest:
        m = max(a[i] for i in rest)
        j = next(i for i in rest if a[i] >= (1 - TOL) * m)
        order.append(j); rest.remove(j)
    return np.array(order[::-1], dtype=int)

class NP(types.ModuleType):
    def __getattr__(self, name):
        return getattr(np, name)
proxy = NP('np_proxy')
if tie == 'tolerance':
    proxy.argmax = tol_argmax
    proxy.argsort = tol_argsort
    ag.np = proxy
    gr.np = proxy

captured = {}
orig = ag.rb_adaptive_greedy
def capture(*a, **kw):
    r = orig(*a, **kw)
    captured.update(r)
    return r
ag.rb_adaptive_greedy = capture

import pymordemos.thermalblock as tb
from typer import run
try:
    run(tb.main)
except SystemExit as e:
    if e.code not in (0, None):
        raise
res = tb.test_results
out = {
    'max_errs': [float(x) for x in captured['max_errs']],
    'max_err_mus': [list(map(float, m['diffusion'])) for m in captured['max_err_mus']],
    'max_val_errs': [float(x) for x in captured['max_val_errs']],
    'max_val_err_mus': [list(map(float, m['diffusion'])) for m in captured['max_val_err_mus']],
    'refinements': list(map(int, captured['refinements'])),
    'training_set_sizes': list(map(int, captured['training_set_sizes'])),
    'extensions': captured['extensions'],
    'time': captured['time'],
    'test_errors_h1': [float(x) for x in res['errors'][0, :, -1]] if 'errors' in res else None,
    'test_estimates': [float(x) for x in res['error_estimates'][:, -1]] if 'error_estimates' in res else None,
    'test_conditions': [float(x) for x in res['conditions'][:, -1]] if 'conditions' in res else None,
    'effectivities': [float(x) for x in res['effectivities'][:, -1]] if 'effectivities' in res else None,
}
print('JSON ' + json.dumps(out))

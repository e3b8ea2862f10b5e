#!/usr/bin/env python3
# Runs pyMOR 2022.2.0's thermalblock demo and prints, at full precision (repr), what the Java tests
# compare against: the greedy's max_errs and max_err_mus, the test parameters, and per test
# parameter the h1_0_semi error, l2 error, estimate, effectivity and condition ("ROW" lines).
#
#   PYTHONPATH=/tmp/pymor/src /usr/bin/python3 bench/pymor/thermalblock_reference.py \
#       [--tie-rule] DEMO-ARGS...      e.g. --alg=naive --reductor=traditional 2 2 10 5
#
# --tie-rule patches pyMOR's greedy (in memory only) to the tolerance tie rule of jmor's default
# --tie-rule tolerance: the first training parameter within relative 1e-10 of the maximum.
# usage: PYTHONPATH=/tmp/pymor/src python3 ref.py [--tie-rule] DEMO-ARGS...
import sys, numpy as np
import pymor.algorithms.greedy as G
tie = '--tie-rule' in sys.argv
args = [a for a in sys.argv[1:] if a != '--tie-rule']
if tie:
    orig = G._rb_surrogate_evaluate
    def patched(rom=None, fom=None, reductor=None, mus=None, error_norm=None, return_all_values=False):
        if not mus or return_all_values:
            return orig(rom, fom, reductor, mus, error_norm, return_all_values)
        errs = orig(rom, fom, reductor, mus, error_norm, True)
        m = max(errs)
        i = next(j for j, e in enumerate(errs) if e >= (1 - 1e-10) * m)
        return errs[i], mus[i]
    G._rb_surrogate_evaluate = patched
greedy_out = {}
orig_rb = G.rb_greedy
def rb(*a, **k):
    r = orig_rb(*a, **k); greedy_out.update(r); return r
G.rb_greedy = rb
import pymordemos.thermalblock as T
import typer
try:
    app = typer.Typer(add_completion=False); app.command()(T.main); app(args, standalone_mode=False)
except SystemExit:
    pass
np.set_printoptions(precision=17, linewidth=200)
if greedy_out:
    print('GREEDY max_errs', [repr(float(e)) for e in greedy_out['max_errs']])
    print('GREEDY max_err_mus', [list(m['diffusion']) for m in greedy_out['max_err_mus']])
r = T.test_results
print('TEST mus', [list(m['diffusion']) for m in r['mus']])
errs = r['errors']  # (norms, sizes, mus)
print('shape', errs.shape)
for i in range(errs.shape[0]):
    print('ROW', repr(float(errs[i, 0, -1])), repr(float(errs[i, 1, -1])), repr(float(r['error_estimates'][i, -1])),
          repr(float(r['effectivities'][i, -1])), repr(float(r['conditions'][i, -1])))

#!/usr/bin/env python3
# Runs pyMOR 2022.2.0's analyze_pickle demo unchanged and prints, at full precision (repr), the
# numbers it plots (which it never prints): the Java tests of `./jmor analyze-pickle` compare
# against them. matplotlib is not needed: a recording stand-in for matplotlib.pyplot is put in
# sys.modules first; it keeps the data of every plotting call and draws nothing.
#
#   PYTHONPATH=/tmp/pymor/src /usr/bin/python3 bench/pymor/analyze_pickle_reference.py \
#       histogram|convergence ARGS...   e.g. histogram /tmp/x_reduced 5 --detailed-data /tmp/x_detailed
#
# --with-estimates (convergence): pyMOR 2022.2's convergence tests hasattr(rom, 'estimate'), a
# method that models no longer have (it became estimate_error), so it never computes estimates;
# this flag gives models an 'estimate' attribute (in memory only), so that the demo's own code
# computes and plots them, as jmor's convergence does.
#
# Output: the demo's own lines, then one "PLOT <call> <label> <values...>" line per data series.
import sys, types
import numpy as np

calls = []

def _rec(name):
    def f(*args, **kwargs):
        calls.append((name, args, kwargs))
        return _Axes(name)
    return f

class _Axes:
    def __init__(self, name='axes'):
        self.name = name
    def __getattr__(self, attr):
        def f(*args, **kwargs):
            calls.append((self.name + '.' + attr, args, kwargs))
            if attr.startswith('get_'):
                return (0, 1)
            return _Axes(self.name)
        return f

plt = types.ModuleType('matplotlib.pyplot')
for n in ['figure', 'subplot', 'semilogy', 'plot', 'xlabel', 'ylabel', 'legend', 'show', 'bar',
          'barh', 'xlim', 'ylim', 'xscale', 'yscale', 'scatter']:
    setattr(plt, n, _rec(n))
plt.axes = lambda rect: _Axes('axes' + str(rect))
plt.style = types.SimpleNamespace(use=lambda s: None)
mpl = types.ModuleType('matplotlib')
mpl.pyplot = plt
sys.modules['matplotlib'] = mpl
sys.modules['matplotlib.pyplot'] = plt

args = [a for a in sys.argv[1:] if a != '--with-estimates']
if '--with-estimates' in sys.argv:
    from pymor.models.interface import Model
    Model.estimate = Model.estimate_error

import pymordemos.analyze_pickle as A
try:
    A.app(args, standalone_mode=False)
except SystemExit:
    pass

def _fmt(v):
    a = np.asarray(v, dtype=float).ravel()
    return ' '.join(repr(float(x)) for x in a)

for name, args, kwargs in calls:
    if name.endswith(('semilogy', 'plot', 'scatter', 'bar', 'barh')) and len(args) >= 2:
        print('PLOT', name, repr(kwargs.get('label', '')).replace(' ', '_'))
        print('  X', _fmt(args[0]))
        print('  Y', _fmt(args[1]))

#!/bin/bash
# Usage (from anywhere): bench/adaptive/bench.sh; needs pyMOR 2022.2.0 in /tmp/pymor and a packaged jmor-cli.
# interleaved: pyMOR demo and jmor cold CLI, 3 rounds; prints wall and the results block's greedy elapsed time
cd "$(dirname "$0")/../.."
for round in 1 2 3; do
  for c in "2 2 10 30|2 2 10 30" "--adaptive-greedy-rho=0.5 --grid=30 2 2 5 15|--adaptive-greedy-rho 0.5 --grid 30 2 2 5 15"; do
    py=${c%%|*}; jm=${c##*|}
    s=$(date +%s.%N); (cd /tmp/pymor && PYTHONPATH=src /usr/bin/python3 src/pymordemos/thermalblock.py --alg=adaptive_greedy $py > /tmp/ref-adaptive/b-py.txt 2>&1); e=$(date +%s.%N)
    echo "pymor|$py|$(echo "$e - $s" | bc)|$(grep -a 'elapsed time:  ' /tmp/ref-adaptive/b-py.txt | head -1 | awk '{print $3}')"
    for pool in sequential threads:2; do
      s=$(date +%s.%N); java -jar jmor-cli/target/jmor-cli.jar thermalblock --alg adaptive_greedy --no-plots --no-plot-error-sequence --pool $pool $jm > /tmp/ref-adaptive/b-j.txt 2>&1; e=$(date +%s.%N)
      echo "jmor-$pool|$jm|$(echo "$e - $s" | bc)|$(grep -a 'elapsed time:  ' /tmp/ref-adaptive/b-j.txt | head -1 | awk '{print $3}')"
    done
  done
  uptime
done

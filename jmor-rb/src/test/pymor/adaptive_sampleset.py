# pyMOR 2022.2 AdaptiveSampleSet on [0.1, 1]^2: refine [0], then [1, 3], then [5, 0]; dump everything.
import json
from pymor.algorithms.adaptivegreedy import AdaptiveSampleSet
from pymor.parameters.base import Parameters
space = Parameters({'diffusion': 2}).space(0.1, 1.)
s = AdaptiveSampleSet(space)
out = []
for ids in ([0], [1, 3], [5, 0]):
    s.refine(ids)
    out.append({'ids': ids,
                'vertex_mus': [list(map(float, m['diffusion'])) for m in s.vertex_mus],
                'center_mus': [list(map(float, m['diffusion'])) for m in s.center_mus],
                'centers': [[str(x) for x in c] for c in s.centers],
                'volumes': list(map(float, s.volumes)),
                'creation_times': list(map(int, s.creation_times)),
                'vertex_ids': s.vertex_ids.tolist(),
                'total_volume': float(s.total_volume)})
print(json.dumps(out))

// The jmor dashboard page: listens to the server-sent events of /events and draws them with
// Chart.js. Each "state" event carries the new task-stream slices (type "update") or everything
// (type "full"), and the current totals; an "end" event says the run ended.
'use strict';

const token = new URLSearchParams(location.search).get('token') || '';
const KIND_COLORS = {
  PUSH: '#8c564b', SCATTER: '#9467bd', APPLY: '#1f77b4',
  APPLY_ONLY: '#17becf', MAP: '#2ca02c', REMOVE: '#7f7f7f',
};
// the caller's steps; an extension holds the others, so it is drawn below them, lighter
const STEP_COLORS = { extension: 'rgba(255, 187, 120, 0.6)', sweep: '#bcbd22', solve: '#e377c2', reduce: '#ff7f0e' };
const FAILED_COLOR = '#d62728';
const MAX_SLICES = 20000;

let slices = [];       // the task stream in the window, oldest first
let lastSeq = 0;       // the last slice number received
const seenWorkers = new Set(); // worker lanes that ran at least one task

const $ = (id) => document.getElementById(id);

function laneLabel(lane, pools) {
  if (lane === 'caller') return 'caller';
  const i = lane.lastIndexOf(':');
  return pools.size > 1 ? lane : 'worker ' + lane.substring(i + 1);
}

function seconds(s) {
  return s < 1e-3 ? (s * 1e6).toFixed(0) + ' µs' : s < 1 ? (s * 1e3).toFixed(1) + ' ms' : s.toFixed(2) + ' s';
}

function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
}

function makeCharts() {
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  const stream = new Chart($('task-stream-chart'), {
    type: 'bar',
    data: { labels: [], datasets: [] },
    options: {
      indexAxis: 'y',
      datasets: { bar: { grouped: false, minBarLength: 2, barPercentage: 0.8, categoryPercentage: 1 } },
      scales: { x: { type: 'linear', title: { display: true, text: 'seconds since the start' } } },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: { callbacks: { label: (c) => c.raw.label } },
      },
    },
  });
  const latency = new Chart($('latency-chart'), {
    type: 'bar',
    data: { labels: [], datasets: [] },
    options: {
      scales: {
        x: { stacked: true, title: { display: true, text: 'latency (bucket lower edge)' } },
        y: { stacked: true, title: { display: true, text: 'call parts' } },
      },
      plugins: { legend: { position: 'bottom' } },
    },
  });
  const greedy = new Chart($('greedy-chart'), {
    type: 'line',
    data: { datasets: [{ label: 'maximum error', data: [], borderColor: '#1f77b4', backgroundColor: '#1f77b4' }] },
    options: {
      scales: {
        x: { type: 'linear', title: { display: true, text: 'extension' }, ticks: { precision: 0 } },
        y: {
          type: 'logarithmic',
          title: { display: true, text: 'maximum error' },
          // the ticks Chart.js labels on a log scale, written as 1.5e-3
          ticks: {
            callback(v, i, ticks) {
              const shown = Chart.Ticks.formatters.logarithmic.call(this, v, i, ticks);
              return shown === '' ? '' : Number(v).toExponential(2).replace(/\.?0+e/, 'e');
            },
          },
        },
      },
      plugins: { legend: { display: false } },
    },
  });
  return { stream, latency, greedy };
}

function drawStream(chart, u) {
  const from = u.now - u.window;
  slices = slices.filter((s) => s.end >= from);
  for (const s of u.slices) {
    if (s.seq > lastSeq) slices.push(s);
  }
  if (slices.length > MAX_SLICES) slices = slices.slice(slices.length - MAX_SLICES);
  lastSeq = Math.max(lastSeq, u.seq);

  const pools = new Set(u.workers.map((w) => w.pool));
  const lanes = ['caller', ...u.workers.map((w) => w.lane)];
  const byDataset = new Map();
  const add = (name, color, point, order = 0) => {
    if (!byDataset.has(name)) byDataset.set(name, { label: name, data: [], backgroundColor: color, order });
    byDataset.get(name).data.push(point);
  };
  const withSlices = new Set();
  for (const s of slices) {
    const y = laneLabel(s.lane, pools);
    const point = { x: [s.start, s.end], y, label: `${s.kind} ${seconds(s.end - s.start)} ${s.outcome}` };
    if (s.step) add('step: ' + s.kind, STEP_COLORS[s.kind] || '#c7c7c7', point, s.kind === 'extension' ? 1 : 0);
    else if (s.outcome !== 'OK') add('failed/lost', FAILED_COLOR, point);
    else add(s.kind, KIND_COLORS[s.kind] || '#999', point);
    if (s.lane !== 'caller') { withSlices.add(s.lane); seenWorkers.add(s.lane); }
  }
  chart.data.labels = lanes.map((l) => laneLabel(l, pools));
  chart.data.datasets = [...byDataset.values()];
  chart.options.scales.x.min = Math.max(0, from);
  chart.options.scales.x.max = u.now;
  chart.update('none');

  const box = $('task-stream');
  box.dataset.lanes = [...withSlices].join(' ');
  box.dataset.workers = String(seenWorkers.size);
  box.dataset.slices = String(slices.length);
}

function drawWorkers(u) {
  const pools = new Set(u.workers.map((w) => w.pool));
  const rows = u.workers.map((w) => {
    const tr = document.createElement('tr');
    tr.className = 'worker';
    Object.assign(tr.dataset, { lane: w.lane, pool: w.pool, worker: w.worker, state: w.state, tasks: w.tasks });
    const cells = [laneLabel(w.lane, pools), w.state, w.tasks, w.failed, w.busySeconds.toFixed(1),
      bytes(w.bytesSent), bytes(w.bytesReceived)];
    for (const [i, text] of cells.entries()) {
      const td = document.createElement('td');
      td.textContent = String(text);
      if (i === 1) td.className = 'state';
      tr.appendChild(td);
    }
    return tr;
  });
  $('workers').replaceChildren(...rows);
  $('bytes-sent').textContent = bytes(u.bytesSent);
  $('bytes-received').textContent = bytes(u.bytesReceived);
}

function drawLatency(chart, u) {
  chart.data.labels = u.latencyEdges.map(seconds);
  chart.data.datasets = Object.entries(u.latency).map(([kind, counts]) => ({
    label: kind, data: counts, backgroundColor: KIND_COLORS[kind] || '#999',
  }));
  chart.update('none');
}

function drawGreedy(chart, u) {
  chart.data.datasets[0].data = u.greedy.map((p) => ({ x: p.extension, y: p.maxError }));
  chart.update('none');
  $('greedy').dataset.points = String(u.greedy.length);
  const c = u.current;
  const last = u.greedy[u.greedy.length - 1];
  $('current-step').textContent = c
    ? `extension ${c.extension} under way for ${seconds(c.elapsed)};`
      + ` extension ${last.extension} reached ${last.maxError.toExponential(3)}`
    : u.lastStep ? `last step: ${u.lastStep.name} (${seconds(u.lastStep.end - u.lastStep.start)})`
      : 'no greedy step yet';
}

function start() {
  const charts = makeCharts();
  const status = $('status');
  const setStatus = (state, text) => { status.dataset.state = state; status.textContent = text; };
  $('window').textContent = '…';
  const source = new EventSource('events?token=' + encodeURIComponent(token));
  source.addEventListener('state', (m) => {
    const u = JSON.parse(m.data);
    if (u.type === 'full') { slices = []; lastSeq = 0; }
    setStatus('live', 'live');
    $('clock').textContent = `t = ${u.now.toFixed(1)} s`;
    $('window').textContent = `${Math.round(u.window / 60 * 10) / 10} min`;
    drawStream(charts.stream, u);
    drawWorkers(u);
    drawLatency(charts.latency, u);
    drawGreedy(charts.greedy, u);
  });
  source.addEventListener('end', () => {
    source.close();
    setStatus('ended', 'run ended: the server has stopped');
    const n = $('greedy').dataset.points;
    if (n !== '0') $('current-step').textContent = `the run ended after ${n} extensions`;
  });
  source.onerror = () => {
    if (source.readyState !== EventSource.CLOSED) setStatus('lost', 'connection lost, retrying…');
  };
}

document.addEventListener('DOMContentLoaded', start);

"""Figures for tools/bench: one JSON object per measured quantity, {name, value, unit, ...}.
Kept apart from the runner so the conversions (Google Benchmark JSON, /usr/bin/time -v, the peers'
output) are easy to read and test."""
import json, re, sys

_OUT = sys.stdout


def emit(name, value, unit, **extra):
    """Prints one figure as a JSON line (and returns it)."""
    f = {'name': name, 'value': value, 'unit': unit}
    f.update({k: v for k, v in extra.items() if v is not None})
    _OUT.write(json.dumps(f) + '\n')
    _OUT.flush()
    return f


def gbench_figures(report):
    """Google Benchmark's --benchmark_format=json -> figures: the time of each benchmark and
    each of its user counters (cells/s, GFLOP/s, GB/s...)."""
    out = []
    for b in report.get('benchmarks', []):
        if b.get('error_occurred'):
            out.append({'name': 'gbench/' + b['name'], 'value': None, 'unit': 'error', 'error': b.get('error_message')})
            continue
        base = 'gbench/' + b['name']
        out.append({'name': base + '/time', 'value': b['real_time'], 'unit': b.get('time_unit', 'ns'),
                    'cpu_time': b.get('cpu_time'), 'label': b.get('label') or None, 'iterations': b.get('iterations')})
        skip = {'name', 'run_name', 'run_type', 'repetitions', 'repetition_index', 'threads', 'iterations',
                'real_time', 'cpu_time', 'time_unit', 'family_index', 'per_family_instance_index', 'label',
                'aggregate_name', 'aggregate_unit', 'error_occurred', 'error_message'}
        for k, v in b.items():
            if k in skip or not isinstance(v, (int, float)):
                continue
            out.append({'name': base + '/' + k, 'value': v, 'unit': _counter_unit(k)})
    return out


def _counter_unit(k):
    for u in ('GFLOP/s', 'GB/s', 'cells/s', 'MB/s'):
        if k == u:
            return u
    if k == 'bytes_per_second':
        return 'B/s'
    if k.endswith('_s'):
        return 's'
    if k.endswith('_MB'):
        return 'MB'
    if k.startswith('ms_'):
        return 'ms'
    return 'count'


def cpu_seconds(text):
    """/usr/bin/time -v's stderr -> user + system CPU seconds (less sensitive than wall time to
    other jobs on a shared machine), or None."""
    u = re.search(r'User time \(seconds\): ([\d.]+)', text)
    s = re.search(r'System time \(seconds\): ([\d.]+)', text)
    return float(u.group(1)) + float(s.group(1)) if u and s else None


def time_v(text):
    """/usr/bin/time -v's stderr -> (wall seconds, peak RSS in MB)."""
    wall = rss = None
    m = re.search(r'Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)', text)
    if m:
        wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    m = re.search(r'Maximum resident set size \(kbytes\): (\d+)', text)
    if m:
        rss = int(m.group(1)) / 1024.0
    return wall, rss


def pretrain_epochs(stderr_text):
    """pretrain_ref.py's progress lines ('phase P epoch E loss L Ts', T in whole seconds since
    before phase 1's K-means) -> seconds of phase-1 epochs 2.. (differences of T: the first
    epoch's T also holds the K-means, so it is left out)."""
    t = [(int(p), int(e), float(s)) for p, e, s in
         re.findall(r'phase (\d+) epoch (\d+) loss [-\d.e+naninf]+ (\d+)s', stderr_text)]
    one = [s for p, e, s in t if p == 1]
    return [b - a for a, b in zip(one, one[1:])]

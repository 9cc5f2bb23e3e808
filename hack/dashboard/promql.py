"""The small subset of PromQL that ecs-bridge's Grafana dashboard uses, evaluated over recorded /metrics scrapes.

Supported (with Prometheus's semantics): instant selectors with label matchers (=, !=, =~, !~, __name__ too);
range selectors inside rate() and increase() (Prometheus's extrapolated rate, counter resets handled);
histogram_quantile(); sum/max/min/avg/count with `by (...)` or `without (...)` (before or after the argument);
+ - * / between two instant vectors (one-to-one on all labels but __name__) or a vector and a number; comparisons
(> < >= <= == !=) of a vector with a number (filtering, no `bool`); parentheses and numbers.
Anything else (on/ignoring/group_left, offset, @, subqueries, other functions, `bool`, vector-vector comparisons...)
raises PromQLError: this module never guesses.

An instant selector at time t sees the newest scrape at or before t (not older than LOOKBACK); a series missing from
that scrape is absent (as Prometheus's staleness markers make it).
"""
import math
import re

LOOKBACK = 300.0


class PromQLError(Exception):
    pass


# ---------------------------------------------------------------- the text exposition format

_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\S+)?\s*$')
_LABEL = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?')


def _unescape(v):
    return re.sub(r'\\(.)', lambda m: {'n': '\n'}.get(m.group(1), m.group(1)), v)


def parse_exposition(text, extra_labels=None):
    """{labels (a sorted tuple of (name, value), __name__ included): value} of a Prometheus text scrape."""
    out = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        m = _SAMPLE.match(line)
        if not m:
            raise PromQLError(f"cannot parse the exposition line: {line!r}")
        labels = dict(extra_labels or {})
        body = m.group(3) or ''
        pos = 0
        while pos < len(body):
            lm = _LABEL.match(body, pos)
            if not lm:
                raise PromQLError(f"cannot parse the labels of: {line!r}")
            labels[lm.group(1)] = _unescape(lm.group(2))
            pos = lm.end()
        labels['__name__'] = m.group(1)
        out[tuple(sorted(labels.items()))] = float(m.group(4))
    return out


# ---------------------------------------------------------------- parsing

_TOKEN = re.compile(r'\s*(?:(?P<num>\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)(?P<unit>ms|s|m|h|d|w|y)?(?![a-zA-Z_:])'
                    r'|(?P<id>[a-zA-Z_:][a-zA-Z0-9_:]*)'
                    r'|(?P<str>"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\')'
                    r'|(?P<op>=~|!~|!=|==|>=|<=|[-+*/(){}\[\],=<>]))')
_UNITS = {'ms': 0.001, 's': 1, 'm': 60, 'h': 3600, 'd': 86400, 'w': 604800, 'y': 31536000}
AGGREGATIONS = {'sum', 'max', 'min', 'avg', 'count'}
FUNCTIONS = {'rate', 'increase', 'histogram_quantile'}
COMPARISONS = {'>', '<', '>=', '<=', '==', '!='}


def _tokens(src):
    pos, out = 0, []
    src = src.rstrip()
    while pos < len(src):
        m = _TOKEN.match(src, pos)
        if not m or m.end() == pos:
            raise PromQLError(f"unsupported syntax at {src[pos:pos + 20]!r} in {src!r}")
        pos = m.end()
        if m.group('num') is not None:
            if m.group('unit'):
                out.append(('dur', float(m.group('num')) * _UNITS[m.group('unit')]))
            else:
                out.append(('num', float(m.group('num'))))
        elif m.group('id') is not None:
            out.append(('id', m.group('id')))
        elif m.group('str') is not None:
            out.append(('str', _unescape(m.group('str')[1:-1])))
        else:
            out.append(('op', m.group('op')))
    return out


class _Parser:
    def __init__(self, src):
        self.src, self.toks, self.i = src, _tokens(src), 0

    def peek(self, k=0):
        return self.toks[self.i + k] if self.i + k < len(self.toks) else (None, None)

    def take(self, kind=None, value=None):
        tok = self.peek()
        if tok[0] is None or (kind and tok[0] != kind) or (value is not None and tok[1] != value):
            raise PromQLError(f"expected {value or kind}, found {tok[1]!r} in {self.src!r}")
        self.i += 1
        return tok

    def parse(self):
        node = self.comparison()
        if self.peek()[0] is not None:
            raise PromQLError(f"unsupported syntax at {self.peek()[1]!r} in {self.src!r}")
        return node

    def comparison(self):
        node = self.additive()
        while self.peek() in [('op', o) for o in COMPARISONS]:
            op = self.take()[1]
            if self.peek() == ('id', 'bool'):
                raise PromQLError(f"'bool' modifier not supported in {self.src!r}")
            node = ('binop', op, node, self.additive())
        return node

    def additive(self):
        node = self.multiplicative()
        while self.peek() in (('op', '+'), ('op', '-')):
            op = self.take()[1]
            node = ('binop', op, node, self.multiplicative())
        return node

    def multiplicative(self):
        node = self.unary()
        while self.peek() in (('op', '*'), ('op', '/')):
            op = self.take()[1]
            node = ('binop', op, node, self.unary())
        return node

    def _modifiers_check(self):
        if self.peek()[0] == 'id' and self.peek()[1] in ('on', 'ignoring', 'group_left', 'group_right', 'offset'):
            raise PromQLError(f"'{self.peek()[1]}' not supported in {self.src!r}")

    def unary(self):
        kind, val = self.peek()
        if kind == 'num':
            self.take()
            return ('num', val)
        if (kind, val) == ('op', '('):
            self.take()
            node = self.comparison()
            self.take('op', ')')
            return node
        if (kind, val) == ('op', '{'):
            return self.selector(None)
        if kind == 'id' and val in AGGREGATIONS and self.peek(1) in (('op', '('), ('id', 'by'), ('id', 'without')):
            return self.aggregation()
        if kind == 'id' and self.peek(1) == ('op', '('):
            if val not in FUNCTIONS:
                raise PromQLError(f"function {val}() not supported in {self.src!r}")
            return self.function()
        if kind == 'id':
            self.take()
            return self.selector(val)
        raise PromQLError(f"unsupported syntax at {val!r} in {self.src!r}")

    def labels_list(self):
        self.take('op', '(')
        names = []
        while self.peek() != ('op', ')'):
            names.append(self.take('id')[1])
            if self.peek() == ('op', ','):
                self.take()
        self.take('op', ')')
        return names

    def aggregation(self):
        op = self.take('id')[1]
        grouping = None
        if self.peek()[1] in ('by', 'without'):
            grouping = (self.take()[1], self.labels_list())
        self.take('op', '(')
        arg = self.comparison()
        if self.peek() == ('op', ','):
            raise PromQLError(f"{op}() with a parameter not supported in {self.src!r}")
        self.take('op', ')')
        if self.peek()[1] in ('by', 'without') and self.peek()[0] == 'id':
            if grouping:
                raise PromQLError(f"two groupings in {self.src!r}")
            grouping = (self.take()[1], self.labels_list())
        return ('agg', op, grouping or ('by', []), arg)

    def function(self):
        name = self.take('id')[1]
        self.take('op', '(')
        args = [self.comparison()]
        while self.peek() == ('op', ','):
            self.take()
            args.append(self.comparison())
        self.take('op', ')')
        want = {'rate': ['range'], 'increase': ['range'], 'histogram_quantile': ['num', 'any']}[name]
        if len(args) != len(want) or any(w != 'any' and a[0] != w for w, a in zip(want, args)):
            raise PromQLError(f"{name}() takes {want}, got {[a[0] for a in args]} in {self.src!r}")
        return ('call', name, args)

    def selector(self, name):
        matchers = [('__name__', '=', name)] if name else []
        if self.peek() == ('op', '{'):
            self.take()
            while self.peek() != ('op', '}'):
                label = self.take('id')[1]
                op = self.take('op')[1]
                if op not in ('=', '!=', '=~', '!~'):
                    raise PromQLError(f"bad matcher {label}{op} in {self.src!r}")
                matchers.append((label, op, self.take('str')[1]))
                if self.peek() == ('op', ','):
                    self.take()
            self.take('op', '}')
        if not any(op in ('=', '=~') and not _matches(op, v, '') for _, op, v in matchers):
            raise PromQLError(f"a selector must have a matcher that does not match the empty string: {self.src!r}")
        self._modifiers_check()
        if self.peek() == ('op', '['):
            self.take()
            kind, seconds = self.take()
            if kind != 'dur':
                raise PromQLError(f"a range needs a duration, found {seconds!r} in {self.src!r}")
            if self.peek() == ('op', ':'):
                raise PromQLError(f"subqueries not supported in {self.src!r}")
            self.take('op', ']')
            self._modifiers_check()
            return ('range', matchers, seconds)
        return ('sel', matchers)


def parse(src):
    return _Parser(src).parse()


# ---------------------------------------------------------------- evaluation

def _matches(op, pattern, value):
    if op == '=':
        return value == pattern
    if op == '!=':
        return value != pattern
    full = re.fullmatch(pattern, value) is not None  # PromQL regexes are anchored
    return full if op == '=~' else not full


def _select(matchers, sample_labels):
    d = dict(sample_labels)
    return all(_matches(op, v, d.get(label, '')) for label, op, v in matchers)


def _drop_name(labels):
    return tuple(kv for kv in labels if kv[0] != '__name__')


class Series:
    """Recorded scrapes: [(t, {labels: value})], sorted by t."""

    def __init__(self, scrapes):
        self.scrapes = sorted(scrapes, key=lambda s: s[0])

    def instant(self, matchers, t):
        latest = None
        for ts, samples in self.scrapes:
            if ts > t:
                break
            latest = (ts, samples)
        if latest is None or t - latest[0] > LOOKBACK:
            return {}
        return {k: v for k, v in latest[1].items() if _select(matchers, k)}

    def window(self, matchers, t, seconds):
        out = {}
        for ts, samples in self.scrapes:
            if t - seconds < ts <= t:
                for k, v in samples.items():
                    if _select(matchers, k):
                        out.setdefault(k, []).append((ts, v))
        return out


def _extrapolated_rate(points, t, seconds, is_rate):
    """Prometheus's extrapolatedRate (promql/functions.go) for a counter."""
    if len(points) < 2:
        return None
    first_t, first_v = points[0]
    last_t, last_v = points[-1]
    result = last_v - first_v
    prev = first_v
    for _, v in points[1:]:
        if v < prev:
            result += prev  # a counter reset
        prev = v
    range_start = t - seconds
    to_start, to_end = first_t - range_start, t - last_t
    sampled = last_t - first_t
    average = sampled / (len(points) - 1)
    if result > 0 and first_v >= 0:
        to_zero = sampled * (first_v / result)
        to_start = min(to_start, to_zero)
    threshold = average * 1.1
    interval = sampled
    interval += to_start if to_start < threshold else average / 2
    interval += to_end if to_end < threshold else average / 2
    result *= interval / sampled
    return result / seconds if is_rate else result


def _bucket_quantile(q, buckets):
    """Prometheus's bucketQuantile (promql/quantile.go): buckets [(upper bound, cumulative count)]."""
    if q < 0:
        return -math.inf
    if q > 1:
        return math.inf
    buckets = sorted(buckets)
    if not buckets or buckets[-1][0] != math.inf:
        return math.nan
    counts = []
    for _, c in buckets:  # monotonic, as Prometheus makes it
        counts.append(max(c, counts[-1]) if counts else c)
    if len(buckets) < 2 or counts[-1] == 0:
        return math.nan
    rank = q * counts[-1]
    b = next(i for i, c in enumerate(counts) if c >= rank)
    if b == len(buckets) - 1:
        return buckets[-2][0]
    if b == 0 and buckets[0][0] <= 0:
        return buckets[0][0]
    start, end, count = 0.0, buckets[b][0], counts[b]
    if b > 0:
        start = buckets[b - 1][0]
        count -= counts[b - 1]
        rank -= counts[b - 1]
    return start + (end - start) * (rank / count)


_ARITH = {'+': lambda a, b: a + b, '-': lambda a, b: a - b, '*': lambda a, b: a * b,
          '/': lambda a, b: a / b if b != 0 else (math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a))}
_COMPARE = {'>': lambda a, b: a > b, '<': lambda a, b: a < b, '>=': lambda a, b: a >= b,
            '<=': lambda a, b: a <= b, '==': lambda a, b: a == b, '!=': lambda a, b: a != b}


def evaluate(node, series, t):
    """A number, or an instant vector {labels: value}, at time t."""
    kind = node[0]
    if kind == 'num':
        return node[1]
    if kind == 'sel':
        return series.instant(node[1], t)
    if kind == 'range':
        raise PromQLError("a range vector must be the argument of rate() or increase()")
    if kind == 'call':
        name, args = node[1], node[2]
        if name in ('rate', 'increase'):
            _, matchers, seconds = args[0]
            out = {}
            for labels, points in series.window(matchers, t, seconds).items():
                v = _extrapolated_rate(points, t, seconds, name == 'rate')
                if v is not None:
                    out[_drop_name(labels)] = v
            return out
        q, vec = args[0][1], evaluate(args[1], series, t)
        if not isinstance(vec, dict):
            raise PromQLError("histogram_quantile() needs a vector")
        groups = {}
        for labels, v in vec.items():
            d = dict(labels)
            if 'le' not in d:
                continue
            le = float(d.pop('le'))
            d.pop('__name__', None)
            groups.setdefault(tuple(sorted(d.items())), []).append((le, v))
        return {k: _bucket_quantile(q, b) for k, b in groups.items()}
    if kind == 'agg':
        op, (mode, names), arg = node[1], node[2], node[3]
        vec = evaluate(arg, series, t)
        if not isinstance(vec, dict):
            raise PromQLError(f"{op}() needs a vector")
        groups = {}
        for labels, v in vec.items():
            if mode == 'by':
                key = tuple(kv for kv in labels if kv[0] in names)
            else:
                key = tuple(kv for kv in labels if kv[0] not in names and kv[0] != '__name__')
            groups.setdefault(key, []).append(v)
        fold = {'sum': sum, 'max': max, 'min': min, 'count': len, 'avg': lambda vs: sum(vs) / len(vs)}[op]
        return {k: float(fold(vs)) for k, vs in groups.items()}
    if kind == 'binop':
        op, left, right = node[1], evaluate(node[2], series, t), evaluate(node[3], series, t)
        lvec, rvec = isinstance(left, dict), isinstance(right, dict)
        if op in _COMPARE:
            if lvec and rvec:
                raise PromQLError("comparisons between two vectors not supported")
            if not lvec and not rvec:
                raise PromQLError("comparisons between two numbers need 'bool' (not supported)")
            if lvec:
                return {k: v for k, v in left.items() if _COMPARE[op](v, right)}
            return {k: v for k, v in right.items() if _COMPARE[op](left, v)}
        f = _ARITH[op]
        if lvec and rvec:
            rights = {}
            for k, v in right.items():
                key = _drop_name(k)
                if key in rights:
                    raise PromQLError("many-to-one matching (several right-hand series with the same labels)")
                rights[key] = v
            out = {}
            for k, v in left.items():
                key = _drop_name(k)
                if key in out:
                    raise PromQLError("many-to-one matching (several left-hand series with the same labels)")
                if key in rights:
                    out[key] = f(v, rights[key])
            return out
        if lvec:
            return {_drop_name(k): f(v, right) for k, v in left.items()}
        if rvec:
            return {_drop_name(k): f(left, v) for k, v in right.items()}
        return f(left, right)
    raise PromQLError(f"cannot evaluate {kind}")


def selectors(node):
    """The label matchers of every series selector in a parsed expression."""
    if node[0] in ('sel', 'range'):
        return [node[1]]
    children = {'call': lambda n: n[2], 'agg': lambda n: [n[3]], 'binop': lambda n: [n[2], n[3]]}.get(node[0])
    return [m for child in (children(node) if children else []) for m in selectors(child)]


def matches_anything(matchers, series):
    """Whether a selector matches a series in any scrape (a query that can never have data is a broken panel)."""
    return any(_select(matchers, labels) for _, samples in series.scrapes for labels in samples)


def query(src, series, t):
    result = evaluate(parse(src), series, t)
    if not isinstance(result, dict):
        return {(): result}
    return result


# ---------------------------------------------------------------- Grafana's side of a query

def interpolate(expr, variables):
    """Grafana's template variables: $name and ${name} from `variables` ({name: replacement}); unknown ones fail."""
    def sub(m):
        name = m.group(1) or m.group(2)
        if name not in variables:
            raise PromQLError(f"unknown dashboard variable ${name} in {expr!r}")
        return variables[name]
    return re.sub(r'\$\{(\w+)\}|\$(\w+)', sub, expr)


def legend(fmt, labels):
    """Grafana's legendFormat: {{label}} replaced by the series' label value."""
    d = dict(labels)
    if not fmt or fmt == '__auto':
        return '{' + ', '.join(f'{k}="{v}"' for k, v in labels if k != '__name__') + '}'
    return re.sub(r'\{\{\s*(\w+)\s*\}\}', lambda m: d.get(m.group(1), ''), fmt).strip()

"""The PromQL subset evaluator (promql.py) against hand-computed answers; fast (`make dashboard-test`)."""
import json
import math
import os

import pytest

import promql

HERE = os.path.dirname(os.path.abspath(__file__))
DASHBOARD = os.path.join(HERE, "..", "..", "helm", "ecs-bridge", "files", "grafana-dashboard.json")

SCRAPE_0 = """# HELP calls_total AWS calls
# TYPE calls_total counter
calls_total{service="ecs",operation="DescribeServices",outcome="ok"} 10
calls_total{service="ecs",operation="DescribeServices",outcome="throttled"} 0
calls_total{service="ecr",operation="DescribeImages",outcome="ok"} 4
lat_seconds_sum{service="ecs"} 1.0
lat_seconds_count{service="ecs"} 10
res{kind="EcsService",condition="Stalled",reason="RolloutFailed"} 0
res{kind="EcsService",condition="Ready",reason=""} 2
h_bucket{c="a",le="0.1"} 0
h_bucket{c="a",le="1.0"} 0
h_bucket{c="a",le="+Inf"} 0
"""
SCRAPE_10 = """calls_total{service="ecs",operation="DescribeServices",outcome="ok"} 30
calls_total{service="ecs",operation="DescribeServices",outcome="throttled"} 5
calls_total{service="ecr",operation="DescribeImages",outcome="ok"} 4
lat_seconds_sum{service="ecs"} 3.0
lat_seconds_count{service="ecs"} 30
res{kind="EcsService",condition="Stalled",reason="RolloutFailed"} 1
res{kind="EcsService",condition="Ready",reason=""} 1
h_bucket{c="a",le="0.1"} 50
h_bucket{c="a",le="1.0"} 100
h_bucket{c="a",le="+Inf"} 100
"""
SCRAPE_20 = """calls_total{service="ecs",operation="DescribeServices",outcome="ok"} 5
"""


@pytest.fixture
def series():
    return promql.Series([(100.0, promql.parse_exposition(SCRAPE_0)), (110.0, promql.parse_exposition(SCRAPE_10)),
                          (120.0, promql.parse_exposition(SCRAPE_20))])


def one(result):
    assert len(result) == 1, result
    return next(iter(result.values()))


def test_exposition_labels_escapes_and_extra_labels():
    s = promql.parse_exposition('m{a="x\\"y",b="1,2"} 3\nn 4 1700000000\n# x\n', {"job": "j"})
    assert s == {(("__name__", "m"), ("a", 'x"y'), ("b", "1,2"), ("job", "j")): 3.0,
                 (("__name__", "n"), ("job", "j")): 4.0}


def test_instant_selector_matchers(series):
    assert one(promql.query('calls_total{outcome="throttled"}', series, 110)) == 5
    assert len(promql.query('calls_total{service=~"ec.", outcome!="throttled"}', series, 110)) == 2
    assert len(promql.query('calls_total{service!~"ecs"}', series, 110)) == 1
    assert len(promql.query('{__name__=~"lat_seconds_.+"}', series, 110)) == 2
    # regexes are anchored: "ec" matches neither ecs nor ecr
    assert promql.query('calls_total{service=~"ec"}', series, 110) == {}


def test_series_missing_from_the_newest_scrape_is_absent(series):
    assert promql.query('res', series, 125) == {}
    assert len(promql.query('res', series, 115)) == 2


def test_rate_extrapolates_like_prometheus(series):
    # two samples 10s apart in a 20s window ending at 110: first at 100 is 10s from the start (> 1.1 x 10s? no: 10 <
    # 11, extrapolated to the start, but not below zero: 20 increase from 10 means zero at 5s before 100)
    v = one(promql.query('rate(calls_total{outcome="ok",service="ecs"}[20s])', series, 110))
    assert v == pytest.approx(20 * (10 + 5) / 10 / 20)
    assert one(promql.query('increase(calls_total{outcome="ok",service="ecs"}[20s])', series, 110)) \
        == pytest.approx(20 * 15 / 10)


def test_rate_counter_reset_and_single_sample(series):
    # 10 -> 30 -> 5 (reset): increase 20 + 5 = 25 over 20s sampled, first sample at the window's start
    v = one(promql.query('increase(calls_total{outcome="ok",service="ecs"}[21s])', series, 120))
    assert v == pytest.approx(25 * (20 + 1) / 20)
    assert promql.query('rate(calls_total[5s])', series, 110) == {}


def test_sum_by_and_without(series):
    r = promql.query('sum by (service) (calls_total)', series, 110)
    assert r == {(("service", "ecr"),): 4.0, (("service", "ecs"),): 35.0}
    r = promql.query('sum(calls_total) by (outcome)', series, 110)
    assert r == {(("outcome", "ok"),): 34.0, (("outcome", "throttled"),): 5.0}
    assert one(promql.query('sum(max by (kind, reason) (res{condition="Stalled"}))', series, 110)) == 1
    r = promql.query('max without (operation, outcome) (calls_total)', series, 110)
    assert r == {(("service", "ecr"),): 4.0, (("service", "ecs"),): 30.0}


def test_histogram_sum_count_ratio(series):
    r = promql.query('sum by (service) (rate(lat_seconds_sum[20s])) / sum by (service) (rate(lat_seconds_count[20s]))',
                     series, 110)
    # 2 s over the 20 calls between the scrapes (both counters extrapolated alike: their zero points coincide)
    assert one(r) == pytest.approx(0.1)


def test_histogram_quantile(series):
    r = promql.query('histogram_quantile(0.95, sum by (c, le) (rate(h_bucket[20s])))', series, 110)
    # 95 % of 100: in the (0.1, 1.0] bucket, 45 of its 50
    assert one(r) == pytest.approx(0.1 + 0.9 * 45 / 50)
    assert math.isnan(one(promql.query('histogram_quantile(0.5, h_bucket)', series, 100)))


def test_comparison_filters(series):
    r = promql.query('max by (kind, reason) (res{condition="Stalled"}) > 0', series, 100)
    assert r == {}
    assert one(promql.query('max by (kind, reason) (res{condition="Stalled"}) > 0', series, 110)) == 1


@pytest.mark.parametrize("expr", [
    'rate(calls_total[1m:10s])', 'calls_total offset 5m', 'sum(calls_total) / on (service) sum(calls_total)',
    'topk(3, calls_total)', 'label_replace(calls_total, "a", "$1", "b", "(.*)")', 'calls_total > bool 1',
    'calls_total > calls_total', '{job=~".*"}', 'rate(calls_total)', 'quantile(0.9, calls_total)',
])
def test_what_it_cannot_evaluate_fails_loudly(series, expr):
    with pytest.raises(promql.PromQLError):
        promql.query(expr, series, 110)


def test_selectors_and_whether_they_match_anything(series):
    ast = promql.parse('sum(rate(calls_total{outcome="ok"}[20s])) / sum(lat_seconds_count{service="nope"})')
    found = promql.selectors(ast)
    assert found == [[("__name__", "=", "calls_total"), ("outcome", "=", "ok")],
                     [("__name__", "=", "lat_seconds_count"), ("service", "=", "nope")]]
    assert promql.matches_anything(found[0], series)
    assert not promql.matches_anything(found[1], series)


def test_interpolate_and_legend():
    assert promql.interpolate('x{job=~"$job"}[$__rate_interval]', {"job": "(a|b)", "__rate_interval": "20s"}) \
        == 'x{job=~"(a|b)"}[20s]'
    with pytest.raises(promql.PromQLError):
        promql.interpolate('x{job=~"$nope"}', {})
    assert promql.legend("{{service}} {{ operation }}", (("service", "ecs"), ("operation", "Describe"))) \
        == "ecs Describe"


def test_every_dashboard_expression_parses():
    """The dashboard's own queries are all within the subset (render.py would fail on one that is not)."""
    dashboard = json.load(open(DASHBOARD))
    variables = {v["name"]: "(x)" for v in dashboard["templating"]["list"]}
    variables["__rate_interval"] = "20s"
    exprs = [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]
    assert len(exprs) >= 15
    for e in exprs:
        promql.parse(promql.interpolate(e, variables))


def test_the_dashboards_resource_counts_add_the_shards_up_and_take_one_replica_each():
    """Each shard counts its own resources and a shard's replicas count the same ones: max over a shard's replicas,
    summed over the shards; the shard variable's "All" (.*) also matches an unsharded operator's series (no label)."""
    dashboard = json.load(open(DASHBOARD))
    shard = next(v for v in dashboard["templating"]["list"] if v["name"] == "shard")
    assert shard["allValue"] == ".*"
    stalled = next(t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])
                   if t["expr"].startswith("sum(") and 'condition="Stalled"' in t["expr"])
    expr = promql.interpolate(stalled, {"job": ".*", "shard": shard["allValue"]})
    sharded = """res{kind="EcsService",condition="Stalled",reason="X",shard="0",pod="a"} 2
res{kind="EcsService",condition="Stalled",reason="X",shard="0",pod="b"} 2
res{kind="EcsService",condition="Stalled",reason="X",shard="1",pod="c"} 3
"""
    series = promql.Series([(100.0, promql.parse_exposition(sharded.replace("res{", "ecsbridge_resources{")))])
    assert one(promql.query(expr, series, 100)) == 5
    unsharded = 'ecsbridge_resources{kind="EcsService",condition="Stalled",reason="X",pod="a"} 4\n'
    series = promql.Series([(100.0, promql.parse_exposition(unsharded))])
    assert one(promql.query(expr, series, 100)) == 4

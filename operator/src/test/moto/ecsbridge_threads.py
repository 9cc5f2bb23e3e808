"""Per-request response options: moto's include/exclude of optional response fields made thread-safe.

moto 5.2.1 keeps the fields a response leaves out (DescribeServices' and DescribeClusters' ``tags`` unless
``include=[TAGS]``, DescribeTasks' the same, ...) in ``RESPONSE_KEY_PATH_TO_TRANSFORMER``, a dict on the response
*class*, and each request sets it on that shared dict before its answer is serialised. moto's server answers
requests on several threads, so a DescribeServices without ``include`` arriving between another request's
``include=[TAGS]`` and its serialisation strips that other answer's tags: an ECS service the operator created, read
without its ``ecsbridge.io/owner`` tag, looked like someone else's (seen by ``make bench N=1000``: 22 Ready services
went Stalled AlreadyExists for minutes while the harness polled DescribeServices without tags). AWS answers each
request on its own; so does this: a request's include/exclude goes to a copy of the class's dict on its own response
object (moto makes one per request), which is what the serialiser reads.
"""
from moto.core.responses import BaseResponse

_ATTR = "RESPONSE_KEY_PATH_TO_TRANSFORMER"


def _own(response):
    mine = response.__dict__.get(_ATTR)
    if mine is None:
        mine = dict(getattr(type(response), _ATTR))
        response.__dict__[_ATTR] = mine
    return mine


def _include(self, response_key_path):
    _own(self)[response_key_path] = lambda x: x


def _exclude(self, response_key_path):
    from moto.core.responses import never_return
    _own(self)[response_key_path] = never_return


def install():
    BaseResponse._include_in_response = _include
    BaseResponse._exclude_from_response = _exclude

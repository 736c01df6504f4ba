"""``is_async_callable``: bound methods answered from their function (remembered), other callables by inspect."""

from __future__ import annotations

import functools

from django_bolt.utils.awaitables import is_async_callable


class Authenticator:
    def authenticate(self, request):
        return None

    async def aauthenticate(self, request):
        return None


class AsyncCall:
    async def __call__(self):
        return None


class SyncCall:
    def __call__(self):
        return None


async def coroutine_function():
    return None


def plain_function():
    return None


def test_bound_methods_twice():
    for _ in range(2):  # the second answer is the remembered one
        assert not is_async_callable(Authenticator().authenticate)
        assert is_async_callable(Authenticator().aauthenticate)


def test_other_callables():
    assert is_async_callable(coroutine_function)
    assert not is_async_callable(plain_function)
    assert is_async_callable(AsyncCall())
    assert not is_async_callable(SyncCall())
    assert is_async_callable(functools.partial(coroutine_function))
    assert not is_async_callable(functools.partial(plain_function))

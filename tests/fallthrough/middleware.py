"""Project middleware a team wants on Bolt routes too (BOLT["MIDDLEWARE"])."""

from asgiref.sync import markcoroutinefunction
from django.http import JsonResponse


def request_id(get_response):
    async def middleware(request):
        request.request_id = request.headers.get("X-Trace-ID", "generated")
        if request.headers.get("X-Block"):
            return JsonResponse({"blocked": True}, status=403)
        response = await get_response(request)
        response["X-Trace-ID"] = request.request_id
        return response

    markcoroutinefunction(middleware)
    return middleware


request_id.async_capable = True
request_id.sync_capable = False


def sync_only(get_response):
    def middleware(request):
        return get_response(request)

    return middleware


sync_only.async_capable = False

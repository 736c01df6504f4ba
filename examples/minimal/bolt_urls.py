"""A notes API: list, create, retrieve and an extra action, served by runbolt."""

from django_bolt import serializers
from django_bolt.decorators import action
from django_bolt.exceptions import NotFound
from django_bolt.response import Response
from django_bolt.routers import DefaultRouter
from django_bolt.viewsets import BoltViewSet

NOTES: dict[int, dict] = {1: {"id": 1, "text": "Try runbolt", "done": False}}


class NoteSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    text = serializers.CharField(max_length=200)
    done = serializers.BooleanField(default=False)


class NoteViewSet(BoltViewSet):
    def note(self, pk: str) -> dict:
        try:
            return NOTES[int(pk)]
        except (KeyError, ValueError):
            raise NotFound() from None

    async def list(self, request):
        return Response(NoteSerializer(list(NOTES.values()), many=True).data)

    async def create(self, request):
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = {"id": max(NOTES, default=0) + 1, **serializer.validated_data}
        NOTES[note["id"]] = note
        return Response(NoteSerializer(note).data, status=201)

    async def retrieve(self, request, pk=None):
        return Response(NoteSerializer(self.note(pk)).data)

    @action(detail=True, methods=["post"])
    async def finish(self, request, pk=None):
        note = self.note(pk)
        note["done"] = True
        return Response(NoteSerializer(note).data)


router = DefaultRouter()
router.register("notes", NoteViewSet, basename="note")
urlpatterns = router.urls

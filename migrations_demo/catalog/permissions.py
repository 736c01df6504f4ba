"""The catalog's own permission (DRF): a review may be changed only by the reader who wrote it."""

from rest_framework import permissions


class IsReviewAuthorOrReadOnly(permissions.BasePermission):
    message = "Only the author of a review may change it."

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return obj.user_id == request.user.pk

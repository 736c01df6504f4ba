"""Uploaded file and image fields."""

from __future__ import annotations

from typing import Any

from django.forms import ImageField as DjangoImageField
from django.utils.translation import gettext_lazy as _

from django_bolt.fields.base import Field
from django_bolt.settings import api_settings


class FileField(Field):
    """
    An uploaded file (anything with ``name`` and ``size``). Output is the file's URL, made absolute with the
    request in the context (``use_url`` / ``UPLOADED_FILES_USE_URL``), or its name.
    """

    default_error_messages = {
        "required": _("No file was submitted."),
        "invalid": _("The submitted data was not a file. Check the encoding type on the form."),
        "no_name": _("No filename could be determined."),
        "empty": _("The submitted file is empty."),
        "max_length": _("Ensure this filename has at most {max_length} characters (it has {length})."),
    }

    def __init__(self, **kwargs: Any) -> None:
        self.max_length = kwargs.pop("max_length", None)
        self.allow_empty_file = kwargs.pop("allow_empty_file", False)
        if "use_url" in kwargs:
            self.use_url = kwargs.pop("use_url")
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        try:
            file_name, file_size = data.name, data.size
        except AttributeError:
            self.fail("invalid")
        if not file_name:
            self.fail("no_name")
        if not self.allow_empty_file and not file_size:
            self.fail("empty")
        if self.max_length and len(file_name) > self.max_length:
            self.fail("max_length", max_length=self.max_length, length=len(file_name))
        return data

    def to_representation(self, value: Any) -> Any:
        if not value:
            return None
        if not getattr(self, "use_url", api_settings.UPLOADED_FILES_USE_URL):
            return value.name
        try:
            url = value.url
        except AttributeError:
            return None
        request = self.context.get("request", None)
        return request.build_absolute_uri(url) if request is not None else url


class ImageField(FileField):
    """An uploaded image, checked with Pillow through Django's ``forms.ImageField``."""

    default_error_messages = {
        "invalid_image": _("Upload a valid image. The file you uploaded was either not an image or a corrupted image."),
    }

    def __init__(self, **kwargs: Any) -> None:
        self._DjangoImageField = kwargs.pop("_DjangoImageField", DjangoImageField)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        file_object = super().to_internal_value(data)
        # Django's form field does the Pillow verification; it raises with our messages.
        django_field = self._DjangoImageField()
        django_field.error_messages = self.error_messages
        return django_field.clean(file_object)

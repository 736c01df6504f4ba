"""FileField and ImageField against DRF's."""

import io

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory, override_settings
from PIL import Image

from tests.fields.parity import both, build, validation_errors


def upload(name="f.txt", content=b"data"):
    return SimpleUploadedFile(name, content)


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(buffer, format="PNG")
    return buffer.getvalue()


class Stored:
    """A stored file as model FileFields expose it."""

    size = 1

    def __init__(self, name, url=None):
        self.name = name
        if url is not None:
            self.url = url

    def __bool__(self):
        return bool(self.name)


class Parent:
    parent = None

    def __init__(self, context):
        self._context = context


@both
def test_file_field_accepts_uploads(impl):
    field = build(impl, "FileField")
    file = upload()
    assert field.run_validation(file) is file
    assert build(impl, "FileField", {"allow_empty_file": True}).run_validation(upload(content=b"")).size == 0


@both
@pytest.mark.parametrize(
    "kwargs,data,expected",
    [
        ({}, "not a file", [("The submitted data was not a file. Check the encoding type on the form.", "invalid")]),
        ({}, Stored(""), [("No filename could be determined.", "no_name")]),
        ({}, upload(content=b""), [("The submitted file is empty.", "empty")]),
        (
            {"max_length": 5},
            upload(name="long-name.txt"),
            [("Ensure this filename has at most 5 characters (it has 13).", "max_length")],
        ),
        ({}, None, [("This field may not be null.", "null")]),
    ],
)
def test_file_field_errors(impl, kwargs, data, expected):
    assert validation_errors(impl, lambda: build(impl, "FileField", kwargs).run_validation(data)) == expected


@both
def test_file_field_required_message(impl):
    assert validation_errors(impl, lambda: build(impl, "FileField").run_validation()) == [
        ("No file was submitted.", "required")
    ]


@both
def test_file_field_output(impl):
    field = build(impl, "FileField")
    assert field.to_representation(Stored("a.txt", "/media/a.txt")) == "/media/a.txt"
    assert field.to_representation(Stored("a.txt")) is None
    assert field.to_representation(Stored("")) is None
    assert field.to_representation(None) is None
    assert build(impl, "FileField", {"use_url": False}).to_representation(Stored("a.txt", "/m/a.txt")) == "a.txt"
    with override_settings(REST_FRAMEWORK={"UPLOADED_FILES_USE_URL": False}):
        assert build(impl, "FileField").to_representation(Stored("a.txt", "/m/a.txt")) == "a.txt"
    request = RequestFactory().get("/", HTTP_HOST="api.example.com")
    field.bind("file", Parent({"request": request}))
    assert field.to_representation(Stored("a.txt", "/media/a.txt")) == "http://api.example.com/media/a.txt"


@both
def test_image_field(impl):
    field = build(impl, "ImageField")
    image = upload("pic.png", png_bytes())
    assert field.run_validation(image) is image
    # Pillow's verdict comes as Django's ValidationError (serializers convert it), with the field's message.
    with pytest.raises(DjangoValidationError) as info:
        field.run_validation(upload("pic.png", b"not an image"))
    assert (info.value.messages, info.value.code) == (
        ["Upload a valid image. The file you uploaded was either not an image or a corrupted image."],
        "invalid_image",
    )
    assert validation_errors(impl, lambda: field.run_validation("x")) == [
        ("The submitted data was not a file. Check the encoding type on the form.", "invalid")
    ]
    custom = build(impl, "ImageField", {"error_messages": {"invalid_image": "Pictures only."}})
    with pytest.raises(DjangoValidationError, match="Pictures only."):
        custom.run_validation(upload("p.png", b"x"))

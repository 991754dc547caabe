# The parts of multipart (2.0.1, no type information of its own) that the upload endpoint uses.
from collections.abc import Generator

class MultipartError(ValueError): ...
class ParserError(MultipartError): ...
class ParserLimitReached(MultipartError): ...

class MultipartSegment:
    name: str | None
    filename: str | None
    content_type: str | None
    headerlist: list[tuple[str, str]]

class PushMultipartParser:
    def __init__(
        self,
        boundary: str | bytes,
        content_length: int = -1,
        max_header_size: int = ...,
        max_header_count: int = ...,
        max_segment_size: float = ...,
        max_segment_count: float = ...,
        header_charset: str = "utf8",
        strict: bool = False,
    ) -> None: ...
    def __enter__(self) -> PushMultipartParser: ...
    def __exit__(self, *exc: object) -> None: ...
    def parse(self, chunk: bytes | bytearray) -> Generator[MultipartSegment | bytes | None]: ...
    def close(self, check_complete: bool = True) -> None: ...

def parse_options_header(
    header: str, options: dict[str, str] | None = None
) -> tuple[str, dict[str, str]]: ...

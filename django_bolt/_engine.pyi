"""Type stubs for the Rust engine (src/)."""

from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any, Self, final

__all__ = [
    "Broadcast",
    "ChunkSink",
    "Cors",
    "Engine",
    "Limits",
    "Protections",
    "RawRequest",
    "Server",
    "SqliteStatements",
    "ServerConfig",
    "Protections",
    "StaticResponse",
    "Subscription",
    "SyncHop",
    "TaskDone",
    "TestTransport",
    "TestWebSocket",
    "WebSocketChannel",
    "WebSocketConfig",
    "build_from_instances",
    "build_rows",
    "escape_line_separators",
    "fold_metrics",
    "measure_request_context",
    "passes_through",
    "read_sqlite_rows",
    "report_sync_bridge",
    "sqlite_handle_address",
    "sqlite_reader_load",
]

@final
class Limits:
    max_body_size: int
    max_header_count: int
    max_header_size: int
    max_uri_length: int
    body_timeout_secs: float
    def __new__(
        cls,
        max_body_size: int = 2_621_440,
        max_header_count: int = 64,
        max_header_size: int = 16_384,
        max_uri_length: int = 8_192,
        body_timeout_secs: float = 30.0,
    ) -> Self: ...

@final
class ServerConfig:
    host: str
    port: int
    workers: int
    backlog: int
    reuse_port: bool
    keep_alive_secs: float
    client_request_timeout_secs: float
    client_disconnect_timeout_secs: float
    shutdown_timeout_secs: int
    max_requests: int
    access_log: str | None
    listen_fd: int | None
    recycle_fd: int | None
    metrics_path: str | None
    metrics_dir: str | None
    def __new__(
        cls,
        host: str = ...,  # "127.0.0.1"
        port: int = 8000,
        workers: int = 1,
        backlog: int = 1024,
        reuse_port: bool = False,
        keep_alive_secs: float = 5.0,
        client_request_timeout_secs: float = 5.0,
        client_disconnect_timeout_secs: float = 1.0,
        shutdown_timeout_secs: int = 30,
        max_requests: int = 0,
        access_log: str | None = None,
        listen_fd: int | None = None,
        recycle_fd: int | None = None,
        metrics_path: str | None = None,
        metrics_dir: str | None = None,
    ) -> Self: ...

@final
class Protections:
    def __new__(
        cls,
        allowed_hosts: Sequence[str] | None = None,
        use_x_forwarded_host: bool = False,
        proxy_ssl_header: tuple[str, str] | None = None,
        ssl_redirect: bool = False,
        ssl_host: str | None = None,
        redirect_exempt: Sequence[str] = ...,
        headers: Sequence[tuple[str, str]] = ...,
        hsts: str | None = None,
        append_slash: bool = False,
        debug: bool = False,
        cors: Cors | None = None,
        gzip: bool = False,
    ) -> Self: ...

@final
class Cors:
    def __new__(
        cls,
        urls_regex: str,
        allow_all_origins: bool,
        allowed_origins: Sequence[str],
        origin_regexes: Sequence[str],
        allow_credentials: bool,
        expose_headers: Sequence[str],
        allow_headers: Sequence[str],
        allow_methods: Sequence[str],
        max_age: int,
        allow_private_network: bool,
    ) -> Self: ...

@final
class StaticResponse:
    def __new__(cls, status: int, headers: Sequence[tuple[str, str]], body: bytes) -> Self: ...

@final
class RawRequest:
    @property
    def method(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def query_string(self) -> str: ...
    def query_items(self) -> list[tuple[str, str]]: ...
    @property
    def headers(self) -> dict[str, str]: ...
    def header(self, name: str) -> str | None: ...
    def header_items(self) -> list[tuple[str, str]]: ...
    @property
    def attributes(self) -> dict[str, Any] | None: ...
    @property
    def body(self) -> bytes: ...
    @property
    def path_params(self) -> dict[str, str | int]: ...
    @property
    def client(self) -> tuple[str, int] | None: ...
    @property
    def server(self) -> tuple[str, int]: ...
    @property
    def scheme(self) -> str: ...
    @property
    def sync_lease(self) -> Any | None: ...
    def hold_sync_lease(self, lease: Any) -> bool: ...

_Handler = Callable[[RawRequest], Any] | StaticResponse

@final
class Engine:
    def __new__(
        cls,
        routes: Sequence[tuple[str, Sequence[str], _Handler, dict[str, str], str | None]],
        runtime: ModuleType,
        limits: Limits | None = None,
        debug: bool = False,
        fallback: Callable[[RawRequest], Any] | None = None,
        protections: Protections | None = None,
        websocket: WebSocketConfig | None = None,
    ) -> Self: ...
    @property
    def route_count(self) -> int: ...

@final
class Server:
    @staticmethod
    def start(engine: Engine, config: ServerConfig) -> Server: ...
    @property
    def served(self) -> int: ...
    @property
    def address(self) -> tuple[str, int]: ...
    def pause(self) -> None: ...
    def stop(self, graceful: bool = True, websocket_close_code: int = 1001) -> None: ...
    def wait(self, timeout: float | None = None) -> bool: ...

@final
class TestTransport:
    def __new__(cls, engine: Engine) -> Self: ...
    def request(
        self,
        method: str,
        target: str,
        headers: Sequence[tuple[str, str]] = ...,
        body: bytes = ...,
        client: tuple[str, int] | None = None,
        attributes: dict[str, Any] | None = None,
    ) -> tuple[int, list[tuple[str, str]], bytes]: ...
    def websocket(
        self,
        target: str,
        headers: Sequence[tuple[str, str]] = ...,
        client: tuple[str, int] | None = None,
        attributes: dict[str, Any] | None = None,
    ) -> TestWebSocket: ...

@final
class TestWebSocket:
    @property
    def status(self) -> int: ...
    @property
    def headers(self) -> list[tuple[str, str]]: ...
    def send_frame(self, opcode: int, data: bytes, fin: bool = True) -> None: ...
    def send_raw(self, data: bytes) -> None: ...
    def drop_connection(self) -> None: ...
    def receive_frame(self, timeout: float) -> tuple[int, bytes] | None: ...
    def read_body(self) -> bytes: ...

@final
class WebSocketConfig:
    max_message_size: int
    ping_interval_secs: float
    ping_timeout_secs: float
    idle_timeout_secs: float
    close_timeout_secs: float
    write_buffer_size: int
    allowed_hosts: list[str]
    def __new__(
        cls,
        max_message_size: int = 1_048_576,
        ping_interval_secs: float = 20.0,
        ping_timeout_secs: float = 20.0,
        idle_timeout_secs: float = 0.0,
        close_timeout_secs: float = 5.0,
        write_buffer_size: int = 262_144,
        allowed_hosts: list[str] = ...,
    ) -> Self: ...

@final
class WebSocketChannel:
    def accept(self, subprotocol: str | None = None, headers: Sequence[tuple[str, str]] = ...) -> None: ...
    def send(self, data: str | bytes) -> bool: ...
    def wait_writable(self, future: Any) -> None: ...
    def close(self, code: int = 1000, reason: str = "") -> None: ...
    @property
    def accepted(self) -> bool: ...

@final
class Broadcast:
    def __new__(cls, max_backlog: int = 1_048_576) -> Self: ...
    def subscribe(self, heartbeat: bytes | None = None, interval: float = 0.0) -> Subscription: ...
    def publish(self, data: bytes) -> int: ...
    def close(self) -> None: ...
    @property
    def subscribers(self) -> int: ...

@final
class Subscription: ...

@final
class ChunkSink:
    def push(self, chunk: bytes) -> bool: ...
    def wait_writable(self, future: Any) -> None: ...
    def finish(self) -> None: ...
    def fail(self, error: BaseException) -> None: ...

@final
class TaskDone:
    def __call__(self, task: Any) -> None: ...

@final
class SyncHop:
    """A sync bridge call the engine waits for itself (see src/sync_hop.rs); settled like a concurrent Future."""

    def __new__(cls) -> Self: ...
    def set_running_or_notify_cancel(self) -> bool: ...
    def set_result(self, result: Any) -> None: ...
    def set_exception(self, exception: BaseException) -> None: ...
    def cancel(self) -> bool: ...
    def done(self) -> bool: ...

def measure_request_context(iterations: int) -> float: ...
def report_sync_bridge(waiting: int, busy: int) -> None: ...
def fold_metrics(dir: str, pid: int) -> None: ...
def build_from_instances(
    items: Any,
    model: type,
    attnames: tuple[str, ...],
    keys: tuple[str, ...],
    columns: tuple[tuple[Any, ...], ...],
    slow: Any,
) -> list[Any]:
    """One dict per model instance of ``items``, read from its ``__dict__`` (others: ``slow(item)``)."""

def build_rows(rows: Any, keys: tuple[str, ...], columns: tuple[tuple[Any, ...], ...]) -> list[dict[str, Any]]:
    """One dict per row of ``rows`` (tuples), column ``i`` converted by ``columns[i]`` (see src/representation)."""

def read_sqlite_rows(
    connection: Any,
    sql: str,
    params: tuple[Any, ...],
    keys: tuple[str, ...],
    columns: tuple[tuple[Any, ...], ...],
    detect_types: int,
    converters: dict[str, Any],
    known: tuple[Any, Any, Any] | None,
    statements: SqliteStatements | None = None,
) -> list[dict[str, Any]] | None:
    """The rows of ``sql`` on the ``sqlite3.Connection``'s own handle as ``build_rows`` dicts, each value first
    read as ``sqlite3`` reads it; ``None`` when Python's path must answer (see src/representation/sqlite_rows.rs)."""

@final
class SqliteStatements:
    """The prepared statements ``read_sqlite_rows`` keeps for one persistent ``sqlite3.Connection``."""

    def __new__(cls, connection: Any) -> SqliteStatements: ...
    def __len__(self) -> int: ...

def sqlite_reader_load(module_path: str) -> bool:
    """Find SQLite's functions through the loaded ``_sqlite3`` module at ``module_path``; ``True`` when found."""

def sqlite_handle_address(connection: Any) -> int:
    """The ``sqlite3*`` of a ``sqlite3.Connection`` as a number (0 once closed)."""

def escape_line_separators(data: bytes) -> bytes:
    """``data`` with U+2028/U+2029 written as ``\\u2028``/``\\u2029`` (``data`` itself when it has neither)."""

def passes_through(value: Any, dict_types: tuple[type, ...], list_types: tuple[type, ...]) -> bool:
    """Whether msgspec encodes ``value`` exactly as DRF's renderer does (see utils/json_bytes.py)."""

"""Checks, on the Python running this script, the private layout ``src/representation/sqlite_api.rs`` reads:
a ``sqlite3.Connection``'s ``sqlite3*`` sits right after its object header, NULL once closed. Pure ctypes, so
it runs on interpreters the engine is not built for; prints "ok" when it holds."""

import _sqlite3
import ctypes
import sqlite3


def handle(connection: sqlite3.Connection) -> int:
    return ctypes.c_void_p.from_address(id(connection) + object.__basicsize__).value or 0


def check_layout() -> None:
    library = ctypes.CDLL(_sqlite3.__file__)  # the SQLite the module runs on
    library.sqlite3_total_changes.argtypes = [ctypes.c_void_p]
    library.sqlite3_db_readonly.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    for readonly in (False, True):
        uri = "file:layout?mode=memory" + ("&mode=ro" if readonly else "")
        connection = sqlite3.connect(uri if not readonly else "file::memory:?mode=ro", uri=True)
        if not readonly:
            connection.execute("CREATE TABLE t (x)")
            connection.executemany("INSERT INTO t VALUES (?)", [(1,), (2,), (3,)])
        address = handle(connection)
        assert address, "no handle after the object header"
        assert library.sqlite3_total_changes(address) == connection.total_changes
        assert library.sqlite3_db_readonly(address, b"main") == int(readonly)
        connection.close()
        assert handle(connection) == 0, "a closed connection keeps its handle"


if __name__ == "__main__":
    check_layout()
    print("ok")

//! django_bolt's engine: HTTP in Rust (actix-web), handlers in Python (PyO3).
//!
//! Modules follow the life of a request: `config` → `framing` (on the socket) → `limits` → `routes` →
//! `protections` → `request` → `dispatch` (with `sync_hop`, the sync bridge's way back) → `response` (or `websocket`, after an upgrade), assembled by `engine` and served by `server` (over sockets) or `testing` (in process);
//! `representation` builds serializer output from fetched rows and checks JSON data for the fast encoder;
//! `observability` tags each request with its id and route for the access log, `metrics` counts them for Prometheus.

pub mod compression;
pub mod config;
pub mod dispatch;
pub mod engine;
pub mod framing;
pub mod limits;
pub mod metrics;
pub mod observability;
pub mod protections;
pub mod representation;
pub mod request;
pub mod response;
pub mod routes;
pub mod server;
pub mod sync_hop;
pub mod testing;
pub mod websocket;

use pyo3::prelude::*;

#[pymodule]
fn _engine(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<config::Limits>()?;
    m.add_class::<config::ServerConfig>()?;
    m.add_class::<engine::Engine>()?;
    m.add_class::<protections::Protections>()?;
    m.add_class::<protections::Cors>()?;
    m.add_class::<request::RawRequest>()?;
    m.add_class::<response::StaticResponse>()?;
    m.add_class::<response::ChunkSink>()?;
    m.add_class::<response::Broadcast>()?;
    m.add_class::<response::Subscription>()?;
    m.add_class::<dispatch::TaskDone>()?;
    m.add_class::<sync_hop::SyncHop>()?;
    m.add_class::<server::Server>()?;
    m.add_class::<testing::TestTransport>()?;
    m.add_class::<testing::TestWebSocket>()?;
    m.add_class::<websocket::WebSocketConfig>()?;
    m.add_class::<representation::sqlite_statements::SqliteStatements>()?;
    m.add_class::<websocket::channel::WebSocketChannel>()?;
    m.add_function(wrap_pyfunction!(
        dispatch::context::measure_request_context,
        m
    )?)?;
    m.add_function(wrap_pyfunction!(metrics::report_sync_bridge, m)?)?;
    m.add_function(wrap_pyfunction!(metrics::fold_metrics, m)?)?;
    m.add_function(wrap_pyfunction!(representation::build_rows, m)?)?;
    m.add_function(wrap_pyfunction!(representation::build_from_instances, m)?)?;
    m.add_function(wrap_pyfunction!(
        representation::sqlite_rows::read_sqlite_rows,
        m
    )?)?;
    m.add_function(wrap_pyfunction!(
        representation::sqlite_api::sqlite_reader_load,
        m
    )?)?;
    m.add_function(wrap_pyfunction!(
        representation::sqlite_api::sqlite_handle_address,
        m
    )?)?;
    m.add_function(wrap_pyfunction!(
        representation::json_check::passes_through,
        m
    )?)?;
    m.add_function(wrap_pyfunction!(
        representation::json_check::escape_line_separators,
        m
    )?)?;
    Ok(())
}

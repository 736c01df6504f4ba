//! The HTTP server: a listening socket, actix-web workers, graceful stop, access log, max-requests.

use std::io::Write;
use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::os::fd::FromRawFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use actix_http::{HttpService, KeepAlive};
use actix_service::{fn_service, map_config, IntoServiceFactory, ServiceFactoryExt};
use actix_web::body::{BodySize, MessageBody};
use actix_web::dev::AppConfig;
use actix_web::error::DispatchError;
use actix_web::{web, App, HttpRequest, HttpResponse};
use futures_util::future::ready;
use pyo3::exceptions::{PyOSError, PyRuntimeError};
use pyo3::prelude::*;
use socket2::{Domain, Protocol, Socket, Type};
use tokio::net::TcpStream;

use crate::config::ServerConfig;
use crate::dispatch::{keep_thread_state, WorkerLoop};
use crate::engine::{handle, Engine, Mode};
use crate::framing::{FramingRules, Guarded};
use crate::metrics::{self, MetricsStore};
use crate::observability;
use crate::websocket::frames::code::SERVICE_RESTART;

/// Per-server observers run after every response: the access log and the max-requests counter.
pub struct ServerHooks {
    access_log: Option<String>,
    metrics: Option<&'static MetricsStore>,
    max_requests: u64,
    recycle_fd: Option<i32>,
    served: AtomicU64,
    stop: OnceLock<actix_web::dev::ServerHandle>,
    /// The close code open WebSockets get when the server stops (0 while it runs).
    pub websocket_close: tokio::sync::watch::Sender<u16>,
}

impl ServerHooks {
    pub fn before(&self) {
        if let Some(metrics) = self.metrics {
            metrics.begin();
        }
    }

    pub fn after(&self, req: &HttpRequest, response: &HttpResponse, started: Instant) {
        if let Some(metrics) = self.metrics {
            let slot = observability::route_slot(req);
            metrics.finish(slot, response.status().as_u16(), started.elapsed());
        }
        if let Some(format) = &self.access_log {
            write_access_log(format, req, response, started);
        }
        let served = self.served.fetch_add(1, Ordering::Relaxed) + 1;
        if self.max_requests > 0 && served == self.max_requests {
            if let Some(fd) = self.recycle_fd {
                tell_supervisor(fd, served);
            } else if let Some(handle) = self.stop.get() {
                self.websocket_close.send_replace(SERVICE_RESTART);
                // The command is sent when `stop` is called; the returned future only reports completion.
                drop(handle.stop(true));
            }
        }
    }
}

/// One line on the supervisor's control pipe: this process has served its budget.
fn tell_supervisor(fd: i32, served: u64) {
    // SAFETY: the supervisor passed this pipe's write end for this purpose; ManuallyDrop leaves it open.
    let mut pipe = std::mem::ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(fd) });
    let line = format!("{} served {served} requests\n", std::process::id());
    let _ = pipe.write_all(line.as_bytes());
}

fn write_access_log(format: &str, req: &HttpRequest, response: &HttpResponse, started: Instant) {
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    let client = req
        .peer_addr()
        .map_or_else(|| "-".to_string(), |a| a.ip().to_string());
    let target = req.uri().path_and_query().map_or("/", |pq| pq.as_str());
    let size = match response.body().size() {
        BodySize::Sized(n) => n.to_string(),
        _ => "-".to_string(),
    };
    let status = response.status().as_u16();
    let id = observability::request_id(req).unwrap_or_else(|| "-".into());
    let route = observability::route_label(req);
    let line = if format == "json" {
        format!(
            "{{\"client\":\"{client}\",\"method\":\"{}\",\"target\":{},\"route\":{},\"status\":{status},\"bytes\":\"{size}\",\"duration_ms\":{elapsed_ms:.3},\"request_id\":{}}}\n",
            req.method(),
            json_string(target),
            route.map_or_else(|| "null".to_string(), |r| json_string(&r)),
            json_string(&id)
        )
    } else {
        format!(
            "{client} \"{} {target} {:?}\" {status} {size} {elapsed_ms:.3}ms {} {id}\n",
            req.method(),
            req.version(),
            route.as_deref().unwrap_or("-"),
        )
    };
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn bind(config: &ServerConfig) -> std::io::Result<TcpListener> {
    if let Some(fd) = config.listen_fd {
        // SAFETY: the supervisor passed this descriptor to this process for this purpose only, open and listening;
        // nothing else in the process owns it.
        let listener = unsafe { TcpListener::from_raw_fd(fd) };
        listener.set_nonblocking(true)?;
        return Ok(listener);
    }
    let addr: SocketAddr = (config.host.as_str(), config.port)
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| std::io::Error::other(format!("cannot resolve {}", config.host)))?;
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_address(true)?;
    if config.reuse_port {
        socket.set_reuse_port(true)?;
    }
    socket.set_tcp_nodelay(true)?;
    socket.bind(&addr.into())?;
    socket.listen(config.backlog as i32)?;
    socket.set_nonblocking(true)?;
    Ok(socket.into())
}

struct Finished {
    done: Mutex<bool>,
    signal: Condvar,
}

/// A running server. `Server.start(engine, config)` returns once the socket listens.
#[pyclass(module = "django_bolt._engine", frozen)]
pub struct Server {
    handle: actix_web::dev::ServerHandle,
    hooks: Arc<ServerHooks>,
    finished: Arc<Finished>,
    thread: Mutex<Option<JoinHandle<std::io::Result<()>>>>,
    address: (String, u16),
}

#[pymethods]
impl Server {
    #[staticmethod]
    fn start(py: Python<'_>, engine: &Bound<'_, Engine>, config: ServerConfig) -> PyResult<Self> {
        let listener = bind(&config).map_err(|e| {
            PyOSError::new_err(format!(
                "cannot listen on {}:{}: {e}",
                config.host, config.port
            ))
        })?;
        let local = listener
            .local_addr()
            .map_err(|e| PyOSError::new_err(e.to_string()))?;
        let core = engine.get().core.clone();
        let rules = Arc::new(FramingRules::new(
            &core.limits,
            config.access_log.as_deref() == Some("json"),
        ));
        let keep_alive = if config.keep_alive_secs > 0.0 {
            KeepAlive::Timeout(Duration::from_secs_f64(config.keep_alive_secs))
        } else {
            KeepAlive::Disabled
        };
        let request_timeout = Duration::from_secs_f64(config.client_request_timeout_secs);
        let disconnect_timeout = Duration::from_secs_f64(config.client_disconnect_timeout_secs);
        let metrics = match &config.metrics_dir {
            Some(dir) if config.metrics_path.is_some() => {
                let labels: Vec<&str> = core.labels.iter().map(|l| &*l.0).collect();
                Some(MetricsStore::install(Path::new(dir), &labels).map_err(|e| {
                    PyOSError::new_err(format!("cannot keep metrics in {dir}: {e}"))
                })?)
            }
            _ => None,
        };
        let metrics_route = config
            .metrics_path
            .clone()
            .zip(config.metrics_dir.clone().map(PathBuf::from));
        let hooks = Arc::new(ServerHooks {
            access_log: config.access_log.clone(),
            metrics,
            max_requests: config.max_requests,
            recycle_fd: config.recycle_fd,
            served: AtomicU64::new(0),
            stop: OnceLock::new(),
            websocket_close: tokio::sync::watch::Sender::new(0),
        });
        let server_hooks = hooks.clone();
        let finished = Arc::new(Finished {
            done: Mutex::new(false),
            signal: Condvar::new(),
        });
        let (handle_tx, handle_rx) = mpsc::channel();
        let thread_finished = finished.clone();
        let thread = std::thread::Builder::new()
            .name("bolt-server".into())
            .spawn(move || {
                let result = actix_rt::System::new().block_on(async move {
                    let factory_core = core.clone();
                    let factory_hooks = hooks.clone();
                    let factory_rules = rules.clone();
                    let mut builder = actix_server::Server::build();
                    let shutdown_signal = builder.graceful_shutdown_signal();
                    builder = builder
                        .workers(config.workers)
                        .backlog(config.backlog)
                        .shutdown_timeout(config.shutdown_timeout_secs)
                        .disable_signals()
                        .listen("bolt", listener, move || {
                            // Runs once on each worker thread: give it a permanent Python thread state and a loop.
                            keep_thread_state();
                            if let Err(error) = Python::attach(|py| {
                                WorkerLoop::current(py, &factory_core.runtime, true)
                            }) {
                                Python::attach(|py| error.print(py));
                            }
                            let mode = Mode {
                                pinned_loop: true,
                                hooks: Some(factory_hooks.clone()),
                                local: Some(local),
                            };
                            let mut app = App::new()
                                .app_data(web::Data::from(factory_core.clone()))
                                .app_data(web::Data::new(mode));
                            if let Some((path, dir)) = metrics_route.clone() {
                                app = app.route(
                                    &path,
                                    web::get().to(move || {
                                        let dir = dir.clone();
                                        async move {
                                            HttpResponse::Ok()
                                                .content_type(
                                                    "text/plain; version=0.0.4; charset=utf-8",
                                                )
                                                .body(metrics::render(&dir))
                                        }
                                    }),
                                );
                            }
                            let app = app
                                .default_service(web::to(handle))
                                .into_factory()
                                .map_err(|error| error.error_response());
                            let signal = shutdown_signal.clone();
                            let http = HttpService::build()
                                .graceful_shutdown_signal(move || {
                                    let signal = signal.clone();
                                    async move { signal.notified().await }
                                })
                                .keep_alive(keep_alive)
                                .client_request_timeout(request_timeout)
                                .client_disconnect_timeout(disconnect_timeout)
                                .local_addr(local)
                                .on_connect_ext(|io: &Guarded, data| {
                                    data.insert(io.client_gone());
                                })
                                // The engine reads the local address from `Mode`, not from this config.
                                .h1(map_config(app, |_| AppConfig::default()));
                            let rules = factory_rules.clone();
                            // Every connection's input is checked by the framing stage before actix-http parses it.
                            fn_service(move |io: TcpStream| {
                                let guarded = Guarded::new(io, rules.clone());
                                let peer = guarded.peer();
                                ready(Ok::<_, DispatchError>((guarded, peer)))
                            })
                            .and_then(http)
                        })?;
                    let server = builder.run();
                    let _ = hooks.stop.set(server.handle());
                    let _ = handle_tx.send(server.handle());
                    server.await
                });
                let mut done = thread_finished
                    .done
                    .lock()
                    .unwrap_or_else(|p| p.into_inner());
                *done = true;
                thread_finished.signal.notify_all();
                result
            })
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        let handle = py
            .detach(move || handle_rx.recv_timeout(Duration::from_secs(30)))
            .map_err(|_| PyRuntimeError::new_err("the server did not start"))?;
        Ok(Self {
            handle,
            hooks: server_hooks,
            finished,
            thread: Mutex::new(Some(thread)),
            address: (local.ip().to_string(), local.port()),
        })
    }

    /// Responses sent so far (a supervised child recycles itself on this count).
    #[getter]
    fn served(&self) -> u64 {
        self.hooks.served.load(Ordering::Relaxed)
    }

    /// `(host, port)` actually bound (port 0 picks a free one).
    #[getter]
    fn address(&self) -> (String, u16) {
        self.address.clone()
    }

    /// Stop accepting new connections, keep serving the accepted ones (the listening socket stays open).
    fn pause(&self) {
        drop(self.handle.pause());
    }

    /// Stop accepting; with `graceful`, in-flight requests finish (within the shutdown timeout) and open
    /// WebSockets are closed with `websocket_close_code` (1001 going away; 1012 for a restart).
    #[pyo3(signature = (graceful = true, websocket_close_code = 1001))]
    fn stop(&self, graceful: bool, websocket_close_code: u16) {
        self.hooks
            .websocket_close
            .send_replace(websocket_close_code);
        drop(self.handle.stop(graceful));
    }

    /// Wait until the server has stopped; False if `timeout` seconds passed first.
    #[pyo3(signature = (timeout = None))]
    fn wait(&self, py: Python<'_>, timeout: Option<f64>) -> PyResult<bool> {
        let finished = self.finished.clone();
        let stopped = py.detach(move || {
            let guard = finished.done.lock().unwrap_or_else(|p| p.into_inner());
            match timeout {
                None => *finished
                    .signal
                    .wait_while(guard, |done| !*done)
                    .unwrap_or_else(|p| p.into_inner()),
                Some(secs) => {
                    let (guard, _) = finished
                        .signal
                        .wait_timeout_while(guard, Duration::from_secs_f64(secs.max(0.0)), |done| {
                            !*done
                        })
                        .unwrap_or_else(|p| p.into_inner());
                    *guard
                }
            }
        });
        if stopped {
            let thread = self.thread.lock().ok().and_then(|mut t| t.take());
            if let Some(thread) = thread {
                match py.detach(|| thread.join()) {
                    Ok(Ok(())) => {}
                    Ok(Err(error)) => return Err(PyOSError::new_err(error.to_string())),
                    Err(_) => return Err(PyRuntimeError::new_err("the server thread panicked")),
                }
            }
        }
        Ok(stopped)
    }
}

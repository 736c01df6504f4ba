//! Prometheus metrics for every process of a server, in the text exposition format.
//!
//! Each process counts into its own memory-mapped file in one directory (the supervisor's): requests by route and
//! status, a latency histogram per route, requests in flight and the sync bridge's gauges. Whichever process answers
//! a scrape sums every file, so the figures cover all processes (the multiprocess mode of prometheus_client,
//! without Python on the request path). A process that exits has its counters folded into `archive.*` by the
//! supervisor, so counters never go backwards when processes are recycled; its gauges leave with it.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use memmap2::MmapMut;
use pyo3::prelude::*;

const MAGIC: u64 = 0x626f_6c74_6d65_7431;
/// Header words: magic, slots, pid, in flight, sync requests waiting, sync threads busy.
const HEADER: usize = 8;
const IN_FLIGHT: usize = 3;
const SYNC_WAITING: usize = 4;
const SYNC_BUSY: usize = 5;
/// Status codes counted as themselves; any other is counted under its class (`2xx`…).
const CODES: [u16; 35] = [
    100, 101, 200, 201, 202, 204, 206, 301, 302, 303, 304, 307, 308, 400, 401, 403, 404, 405, 406,
    408, 409, 410, 412, 413, 414, 415, 422, 429, 431, 500, 501, 502, 503, 504, 505,
];
const CODE_WORDS: usize = CODES.len() + 5;
/// Histogram bounds in seconds (prometheus_client's defaults); a last bucket is +Inf.
const BUCKETS: [f64; 14] = [
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
];
const SUM_US: usize = CODE_WORDS + BUCKETS.len() + 1;
const SLOT: usize = SUM_US + 2;
/// Slot 0 counts requests no Bolt route matched (Django's fall-through, or refused before routing).
pub const UNROUTED: &str = "(unrouted)";

/// This process's counters.
pub struct MetricsStore {
    map: MmapMut,
    slots: usize,
}

static STORE: OnceLock<MetricsStore> = OnceLock::new();

/// The process's store, once a server started with metrics.
pub fn store() -> Option<&'static MetricsStore> {
    STORE.get()
}

fn data_path(dir: &Path, stem: &str) -> PathBuf {
    dir.join(format!("{stem}.metrics"))
}

fn labels_path(dir: &Path, stem: &str) -> PathBuf {
    dir.join(format!("{stem}.labels"))
}

fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = path.with_extension("tmp");
    File::create(&tmp)?.write_all(bytes)?;
    fs::rename(tmp, path)
}

/// Readers and the fold take this lock so a scrape never sees a process counted twice or not at all.
fn lock(dir: &Path) -> io::Result<File> {
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join("lock"))
}

impl MetricsStore {
    /// Create this process's file (route labels first, so a reader never sees counters without names) and make
    /// it the process's store. Once per process; later calls keep the first store.
    pub fn install(dir: &Path, labels: &[&str]) -> io::Result<&'static MetricsStore> {
        if let Some(store) = STORE.get() {
            return Ok(store);
        }
        let pid = std::process::id();
        let stem = pid.to_string();
        let mut names = String::from(UNROUTED);
        for label in labels {
            names.push('\n');
            names.push_str(&label.replace('\n', " "));
        }
        write_atomically(&labels_path(dir, &stem), names.as_bytes())?;
        let slots = labels.len() + 1;
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(data_path(dir, &stem))?;
        file.set_len(((HEADER + slots * SLOT) * 8) as u64)?;
        // SAFETY: the file is this process's alone to write; other processes only read it.
        let map = unsafe { MmapMut::map_mut(&file)? };
        let store = MetricsStore { map, slots };
        let words = store.words();
        words[1].store(slots as u64, Ordering::Relaxed);
        words[2].store(u64::from(pid), Ordering::Relaxed);
        words[0].store(MAGIC, Ordering::Release);
        Ok(STORE.get_or_init(|| store))
    }

    fn words(&self) -> &[AtomicU64] {
        let len = self.map.len() / 8;
        // SAFETY: the mapping is page-aligned, `len` words long and lives as long as `self`; every access is atomic.
        unsafe { std::slice::from_raw_parts(self.map.as_ptr().cast::<AtomicU64>(), len) }
    }

    pub fn begin(&self) {
        self.words()[IN_FLIGHT].fetch_add(1, Ordering::Relaxed);
    }

    /// A response went out: `route` is the route's index plus one (0: unrouted).
    pub fn finish(&self, route: usize, status: u16, elapsed: Duration) {
        let words = self.words();
        words[IN_FLIGHT].fetch_sub(1, Ordering::Relaxed);
        let base = HEADER + route.min(self.slots - 1) * SLOT;
        let code = CODES
            .iter()
            .position(|&c| c == status)
            .unwrap_or_else(|| CODES.len() + usize::from((status / 100).clamp(1, 5)) - 1);
        words[base + code].fetch_add(1, Ordering::Relaxed);
        let secs = elapsed.as_secs_f64();
        let bucket = BUCKETS
            .iter()
            .position(|&bound| secs <= bound)
            .unwrap_or(BUCKETS.len());
        words[base + CODE_WORDS + bucket].fetch_add(1, Ordering::Relaxed);
        words[base + SUM_US].fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
        words[base + SUM_US + 1].fetch_add(1, Ordering::Relaxed);
    }

    fn set_sync(&self, waiting: u64, busy: u64) {
        let words = self.words();
        words[SYNC_WAITING].store(waiting, Ordering::Relaxed);
        words[SYNC_BUSY].store(busy, Ordering::Relaxed);
    }
}

/// The sync bridge reports its queue after each change (a no-op unless the server exports metrics).
#[pyfunction]
pub fn report_sync_bridge(waiting: u64, busy: u64) {
    if let Some(store) = STORE.get() {
        store.set_sync(waiting, busy);
    }
}

/// One file's figures: per-label slots, and its gauges when its process is alive.
struct Snapshot {
    slots: Vec<(String, Vec<u64>)>,
    gauges: Option<[u64; 3]>,
}

fn read_snapshot(dir: &Path, stem: &str) -> Option<Snapshot> {
    let labels = fs::read_to_string(labels_path(dir, stem)).ok()?;
    let bytes = fs::read(data_path(dir, stem)).ok()?;
    let words: Vec<u64> = bytes
        .chunks_exact(8)
        .map(|w| u64::from_le_bytes(w.try_into().unwrap_or_default()))
        .collect();
    if words.len() < HEADER || words[0] != MAGIC {
        return None;
    }
    let slots = (words[1] as usize).min((words.len() - HEADER) / SLOT);
    let pid = words[2];
    let alive = pid != 0 && Path::new(&format!("/proc/{pid}")).exists();
    Some(Snapshot {
        slots: labels
            .split('\n')
            .take(slots)
            .enumerate()
            .map(|(i, label)| {
                let start = HEADER + i * SLOT;
                (label.to_string(), words[start..start + SLOT].to_vec())
            })
            .collect(),
        gauges: alive.then(|| [words[IN_FLIGHT], words[SYNC_WAITING], words[SYNC_BUSY]]),
    })
}

fn merge(into: &mut BTreeMap<String, Vec<u64>>, snapshot: &Snapshot) {
    for (label, values) in &snapshot.slots {
        let total = into.entry(label.clone()).or_insert_with(|| vec![0; SLOT]);
        for (sum, value) in total.iter_mut().zip(values) {
            *sum = sum.wrapping_add(*value);
        }
    }
}

fn stems(dir: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".metrics").map(str::to_string)
        })
        .collect()
}

/// Add an exited process's counters to the archive and remove its files (the supervisor calls this on reaping).
#[pyfunction]
pub fn fold_metrics(dir: &str, pid: u32) -> PyResult<()> {
    let dir = Path::new(dir);
    let lock = lock(dir)?;
    lock.lock()?;
    let stem = pid.to_string();
    if let Some(gone) = read_snapshot(dir, &stem) {
        let mut totals = BTreeMap::new();
        if let Some(archive) = read_snapshot(dir, "archive") {
            merge(&mut totals, &archive);
        }
        merge(&mut totals, &gone);
        let names: Vec<&str> = totals.keys().map(String::as_str).collect();
        let mut words = vec![0u64; HEADER + totals.len() * SLOT];
        words[0] = MAGIC;
        words[1] = totals.len() as u64;
        for (i, values) in totals.values().enumerate() {
            words[HEADER + i * SLOT..HEADER + (i + 1) * SLOT].copy_from_slice(values);
        }
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        write_atomically(&labels_path(dir, "archive"), names.join("\n").as_bytes())?;
        write_atomically(&data_path(dir, "archive"), &bytes)?;
    }
    let _ = fs::remove_file(data_path(dir, &stem));
    let _ = fs::remove_file(labels_path(dir, &stem));
    Ok(())
}

fn escape(label: &str) -> String {
    label
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn code_label(index: usize) -> String {
    CODES.get(index).map_or_else(
        || format!("{}xx", index - CODES.len() + 1),
        |code| code.to_string(),
    )
}

/// Every process's figures, summed, in the Prometheus text format.
pub fn render(dir: &Path) -> String {
    let lock = lock(dir).ok();
    if let Some(lock) = &lock {
        let _ = lock.lock_shared();
    }
    let mut totals: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    let mut gauges = [0u64; 3];
    let mut processes = 0;
    for stem in stems(dir) {
        if let Some(snapshot) = read_snapshot(dir, &stem) {
            merge(&mut totals, &snapshot);
            if let Some(values) = snapshot.gauges {
                processes += 1;
                for (sum, value) in gauges.iter_mut().zip(values) {
                    *sum = sum.wrapping_add(value);
                }
            }
        }
    }
    let restarts = fs::read_to_string(dir.join("restarts")).unwrap_or_default();
    drop(lock);
    let mut out = String::with_capacity(4096);
    out.push_str("# HELP bolt_requests_total Requests answered, by route and status code.\n");
    out.push_str("# TYPE bolt_requests_total counter\n");
    for (label, values) in &totals {
        for (i, count) in values[..CODE_WORDS].iter().enumerate() {
            if *count > 0 {
                out.push_str(&format!(
                    "bolt_requests_total{{route=\"{}\",code=\"{}\"}} {count}\n",
                    escape(label),
                    code_label(i)
                ));
            }
        }
    }
    out.push_str("# HELP bolt_request_duration_seconds Time from the request's head to its response, by route.\n");
    out.push_str("# TYPE bolt_request_duration_seconds histogram\n");
    for (label, values) in &totals {
        let count = values[SUM_US + 1];
        if count == 0 {
            continue;
        }
        let label = escape(label);
        let mut cumulative = 0;
        for (i, bucket) in values[CODE_WORDS..SUM_US].iter().enumerate() {
            cumulative += bucket;
            let bound = BUCKETS
                .get(i)
                .map_or_else(|| "+Inf".to_string(), |b| b.to_string());
            out.push_str(&format!(
                "bolt_request_duration_seconds_bucket{{route=\"{label}\",le=\"{bound}\"}} {cumulative}\n"
            ));
        }
        out.push_str(&format!(
            "bolt_request_duration_seconds_sum{{route=\"{label}\"}} {}\n",
            values[SUM_US] as f64 / 1e6
        ));
        out.push_str(&format!(
            "bolt_request_duration_seconds_count{{route=\"{label}\"}} {count}\n"
        ));
    }
    let gauge = |out: &mut String, name: &str, help: &str, value: u64| {
        out.push_str(&format!(
            "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n"
        ));
    };
    gauge(
        &mut out,
        "bolt_requests_in_flight",
        "Requests being handled now.",
        gauges[0],
    );
    gauge(
        &mut out,
        "bolt_sync_bridge_waiting",
        "Requests waiting for a sync-bridge thread.",
        gauges[1],
    );
    gauge(
        &mut out,
        "bolt_sync_bridge_busy",
        "Sync-bridge threads leased to a request.",
        gauges[2],
    );
    gauge(&mut out, "bolt_processes", "Processes serving.", processes);
    out.push_str("# HELP bolt_worker_restarts_total Worker processes replaced, by reason.\n");
    out.push_str("# TYPE bolt_worker_restarts_total counter\n");
    for reason in ["crash", "recycle", "reload"] {
        let count = restarts
            .lines()
            .find_map(|line| line.strip_prefix(reason)?.trim().parse::<u64>().ok())
            .unwrap_or(0);
        out.push_str(&format!(
            "bolt_worker_restarts_total{{reason=\"{reason}\"}} {count}\n"
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_outside_the_table_count_under_their_class() {
        assert_eq!(code_label(0), "100");
        assert_eq!(code_label(CODES.len() + 1), "2xx");
        assert_eq!(code_label(CODES.len() + 4), "5xx");
    }

    #[test]
    fn folding_keeps_counters_of_an_exited_process() {
        let dir = std::env::temp_dir().join(format!("bolt-metrics-test-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let words = |count: u64| {
            let mut words = vec![0u64; HEADER + 2 * SLOT];
            words[0] = MAGIC;
            words[1] = 2;
            words[2] = 999_999_999; // not a live pid: its gauges are left out
            words[IN_FLIGHT] = 5;
            words[HEADER + SLOT + 2] = count; // route "a", 200
            words[HEADER + SLOT + SUM_US + 1] = count;
            words
                .iter()
                .flat_map(|w| w.to_le_bytes())
                .collect::<Vec<u8>>()
        };
        for (stem, count) in [("11", 3), ("12", 4)] {
            fs::write(labels_path(&dir, stem), "(unrouted)\na").unwrap();
            fs::write(data_path(&dir, stem), words(count)).unwrap();
        }
        fold_metrics(dir.to_str().unwrap(), 11).unwrap();
        assert!(!data_path(&dir, "11").exists());
        let text = render(&dir);
        assert!(
            text.contains("bolt_requests_total{route=\"a\",code=\"200\"} 7\n"),
            "{text}"
        );
        assert!(text.contains("bolt_requests_in_flight 0\n"));
        fs::remove_dir_all(&dir).unwrap();
    }
}

//! A list of named stages, each timed, with a one-line summary and a stop at the first failure.

use std::time::Instant;

pub struct Stages {
    started: Instant,
    done: Vec<(String, f64)>,
    /// With `--only`, the words a stage name must contain one of to run.
    only: Option<Vec<String>>,
    skipped: usize,
}

impl Stages {
    pub fn new(only: Option<Vec<String>>) -> Self {
        Stages {
            started: Instant::now(),
            done: Vec::new(),
            only,
            skipped: 0,
        }
    }

    /// Runs one stage; on failure prints the summary so far and returns the error.
    pub fn run(
        &mut self,
        name: &str,
        f: impl FnOnce() -> Result<(), String>,
    ) -> Result<(), String> {
        if let Some(words) = &self.only {
            let lower = name.to_lowercase();
            if !words.iter().any(|w| lower.contains(w.as_str())) {
                self.skipped += 1;
                return Ok(());
            }
        }
        eprintln!("\n==> {name}");
        let t = Instant::now();
        let result = f();
        let secs = t.elapsed().as_secs_f64();
        match result {
            Ok(()) => {
                eprintln!("==> ok: {name} ({secs:.1} s)");
                self.done.push((name.to_string(), secs));
                Ok(())
            }
            Err(e) => {
                self.summary();
                eprintln!("FAILED  {name} ({secs:.1} s)");
                Err(format!("stage `{name}` failed: {e}"))
            }
        }
    }

    pub fn summary(&self) {
        eprintln!("\n---- summary ----");
        for (name, secs) in &self.done {
            eprintln!("ok      {name} ({secs:.1} s)");
        }
    }

    pub fn finish(self) {
        self.summary();
        let n = self.done.len();
        let skipped = match self.skipped {
            0 => String::new(),
            k => format!(" ({k} skipped by --only)"),
        };
        eprintln!(
            "all {n} stages passed in {:.1} s{skipped}",
            self.started.elapsed().as_secs_f64()
        );
    }
}

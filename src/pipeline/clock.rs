//! Stage timings for `build --timings`: each stage's wall time, in the order they ran, and
//! stages run beside one another told apart.

use std::time::{Duration, Instant};

/// Records stage durations.
pub(super) struct Clock {
    last: Instant,
    pub(super) laps: Vec<(&'static str, Duration)>,
}

impl Clock {
    pub(super) fn start() -> Clock {
        Clock {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    pub(super) fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }

    /// Records a stage that ran beside the next one as `took` of the time since the last
    /// lap; the next lap gets the rest.
    pub(super) fn lap_beside(&mut self, stage: &'static str, took: Duration) {
        let took = took.min(self.last.elapsed());
        self.laps.push((stage, took));
        self.last += took;
    }
}

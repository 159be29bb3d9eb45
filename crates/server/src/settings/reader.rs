//! The parsing helpers every group of settings uses: read a variable, parse
//! it with a default, check a range, split a list, and collect every problem
//! as one line naming the variable.

use std::collections::BTreeMap;
use std::fmt;

pub(super) struct Reader {
    pub(super) vars: BTreeMap<String, String>,
    /// `AWS_*` and `GOOGLE_*`: object storage's own settings, passed on as they are.
    pub(super) object_store_vars: Vec<(String, String)>,
    pub(super) errors: Vec<String>,
}

impl Reader {
    pub(super) fn raw(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    pub(super) fn fail(&mut self, name: &str, problem: impl fmt::Display) {
        self.errors.push(format!("{name}: {problem}"));
    }

    pub(super) fn parsed<T: std::str::FromStr>(
        &mut self,
        name: &str,
        default: T,
        expected: &str,
    ) -> T {
        match self.raw(name).map(str::parse) {
            None => default,
            Some(Ok(value)) => value,
            Some(Err(_)) => {
                self.fail(name, format!("expected {expected}"));
                default
            }
        }
    }

    pub(super) fn positive(&mut self, name: &str, default: u32) -> u32 {
        let value = self.parsed(name, default, "a whole number from 1 up");
        if value == 0 {
            self.fail(name, "must be at least 1");
        }
        value
    }

    /// A size in bytes, 1 KiB to 64 GiB.
    pub(super) fn byte_limit(&mut self, name: &str, default: u64) -> u64 {
        let value = self.parsed(name, default, "a size in bytes");
        if !(1024..=64 * 1024 * 1024 * 1024).contains(&value) {
            self.fail(name, "must be 1024 bytes to 64 GiB");
        }
        value
    }

    pub(super) fn list(&self, name: &str) -> Vec<String> {
        self.raw(name)
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    }
}

//! Running Kluis: stopping, keys, backups, the audit chain, faults.

mod backup;
mod chain;
mod disk;
mod kill;
mod stop;

//! Small building blocks shared by the screens.

mod alert;
mod brand;
mod field;
mod freshness;
mod install;
mod lang_switch;

pub use alert::Alert;
pub use brand::Brand;
pub use field::Field;
pub use freshness::FreshnessBar;
pub use install::InstallButton;
pub use lang_switch::LangSwitch;

//! Small building blocks shared by the screens.

mod alert;
mod brand;
mod field;
mod freshness;
mod install;
mod keys;
mod lang_switch;
mod session_buttons;

pub use alert::Alert;
pub use brand::Brand;
pub use field::Field;
pub use freshness::FreshnessBar;
pub use install::InstallButton;
pub use keys::KeyRow;
pub use lang_switch::LangSwitch;
pub use session_buttons::SessionButtons;

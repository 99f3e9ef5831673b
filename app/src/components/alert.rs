use dioxus::prelude::*;

/// An error message that screen readers announce at once.
#[component]
pub fn Alert(id: String, message: String) -> Element {
    rsx! {
        div { class: "alert", id, role: "alert",
            span { class: "alert-icon", aria_hidden: "true", "!" }
            span { class: "alert-text", "{message}" }
        }
    }
}

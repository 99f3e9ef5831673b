use dioxus::prelude::*;

/// The Kluis mark and name.
#[component]
pub fn Brand() -> Element {
    rsx! {
        div { class: "brand",
            img { class: "brand-mark", src: "/icons/icon.svg", alt: "", width: "36", height: "36" }
            span { "Kluis" }
        }
    }
}

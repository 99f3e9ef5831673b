use dioxus::prelude::*;

/// A labelled text input. `children` is placed inside the input's row (e.g. a "Toon"
/// toggle for a password).
#[component]
pub fn Field(
    id: String,
    label: String,
    value: String,
    oninput: EventHandler<String>,
    #[props(default = "text".to_string())] input_type: String,
    #[props(default)] autocomplete: String,
    #[props(default)] invalid: bool,
    #[props(default)] described_by: Option<String>,
    #[props(default)] with_toggle: bool,
    #[props(default)] disabled: bool,
    /// `numeric` for PINs: the phone shows its number pad.
    #[props(default)]
    inputmode: Option<String>,
    children: Element,
) -> Element {
    let class = if with_toggle {
        "input input-with-toggle"
    } else {
        "input"
    };
    rsx! {
        div { class: "field",
            label { r#for: "{id}", "{label}" }
            div { class: "field-row",
                input {
                    class,
                    id: "{id}",
                    name: "{id}",
                    r#type: "{input_type}",
                    autocomplete: "{autocomplete}",
                    autocapitalize: "none",
                    spellcheck: "false",
                    value: "{value}",
                    disabled,
                    inputmode,
                    aria_invalid: if invalid { "true" } else { "false" },
                    aria_describedby: described_by,
                    oninput: move |event: FormEvent| oninput.call(event.value()),
                }
                {children}
            }
        }
    }
}

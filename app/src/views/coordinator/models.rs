//! The safe models: which buttons, how long a code, the factory code; the coordinator adds a
//! model when a housing company hangs a new kind of safe.

use dioxus::prelude::*;
use kluis_api::registry::{ModelRow, NewModel};

use super::token;
use super::widgets::{Failure, Loading};
use crate::state::AppState;
use crate::state::coordinator as desk;
use crate::state::i18n::{ImportKey, ImportMsg, say, t};
use crate::views::{Route, go_back_to};

#[component]
pub fn Models() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut list = use_resource(move || async move {
        desk::get::<Vec<ModelRow>>(token(state), kluis_api::paths::MODELS).await
    });
    let mut name = use_signal(String::new);
    let mut buttons = use_signal(|| "1234567890".to_string());
    let mut min = use_signal(|| "4".to_string());
    let mut max = use_signal(|| "7".to_string());
    let mut factory = use_signal(String::new);
    let mut message = use_signal(|| None::<(bool, String)>);

    let answer = list.read().clone();
    let rows = match answer {
        None => return rsx! { Loading {} },
        Some(Err(error)) => return rsx! { Failure { error, onretry: move |_| list.restart() } },
        Some(Ok(rows)) => rows,
    };
    let submit = move |e: FormEvent| async move {
        e.prevent_default();
        let (Ok(min_len), Ok(max_len)) = (min().trim().parse::<u8>(), max().trim().parse::<u8>())
        else {
            message.set(Some((
                false,
                t(lang, ImportKey::ModelLengthNotNumber).to_string(),
            )));
            return;
        };
        let body = serde_json::to_string(&NewModel {
            name: name(),
            buttons: buttons(),
            min_len,
            max_len,
            factory_default: Some(factory()).filter(|f| !f.trim().is_empty()),
        })
        .unwrap_or_default();
        match desk::post::<ModelRow>(token(state), kluis_api::paths::MODELS, &body).await {
            Ok(_) => {
                message.set(Some((true, t(lang, ImportKey::ModelAdded).to_string())));
                name.set(String::new());
                factory.set(String::new());
                list.restart();
            }
            Err(e) => message.set(Some((false, e.message(lang)))),
        }
    };
    rsx! {
        div { class: "desk-toolbar",
            button { class: "button button-secondary desk-small", r#type: "button",
                onclick: move |_| go_back_to(Route::DeskRegistry {}),
                {t(lang, crate::state::i18n::DeskKey::BackToRegistry)}
            }
            h2 { id: "models-title", {t(lang, ImportKey::ModelsTitle)} }
        }
        p { class: "hint", {t(lang, ImportKey::ModelsExplain)} }
        div { class: "table-wrap",
            table { class: "desk-table", id: "model-table", aria_labelledby: "models-title",
                thead {
                    tr {
                        th { scope: "col", {t(lang, ImportKey::ModelName)} }
                        th { scope: "col", {t(lang, ImportKey::ModelButtons)} }
                        th { scope: "col", {t(lang, ImportKey::ModelLength)} }
                        th { scope: "col", {t(lang, ImportKey::ModelFactory)} }
                        th { scope: "col", {t(lang, ImportKey::ModelSafes)} }
                    }
                }
                tbody {
                    for m in rows {
                        tr { key: "{m.id}",
                            th { scope: "row", "{m.name}" }
                            td { class: "mono", "{m.buttons}" }
                            td { {say(lang, ImportMsg::ModelLengths { min: m.min_len.into(), max: m.max_len.into() })} }
                            td {
                                {t(lang, if m.has_factory_default { ImportKey::ModelFactoryKnown } else { ImportKey::ModelFactoryUnknown })}
                            }
                            td { "{m.safes}" }
                        }
                    }
                }
            }
        }
        form { class: "card desk-form", id: "new-model", novalidate: true, onsubmit: submit,
            h3 { {t(lang, ImportKey::ModelNew)} }
            div { class: "field",
                label { r#for: "model-name", {t(lang, ImportKey::ModelFieldName)} }
                input { class: "input", id: "model-name", value: "{name}", oninput: move |e: FormEvent| name.set(e.value()) }
            }
            div { class: "field",
                label { r#for: "model-buttons", {t(lang, ImportKey::ModelFieldButtons)} }
                input {
                    class: "input mono",
                    id: "model-buttons",
                    value: "{buttons}",
                    aria_describedby: "model-buttons-hint",
                    oninput: move |e: FormEvent| buttons.set(e.value()),
                }
                p { class: "hint", id: "model-buttons-hint", {t(lang, ImportKey::ModelFieldButtonsHint)} }
            }
            div { class: "desk-toolbar",
                div { class: "field",
                    label { r#for: "model-min", {t(lang, ImportKey::ModelFieldMin)} }
                    input { class: "input", id: "model-min", inputmode: "numeric", value: "{min}", oninput: move |e: FormEvent| min.set(e.value()) }
                }
                div { class: "field",
                    label { r#for: "model-max", {t(lang, ImportKey::ModelFieldMax)} }
                    input { class: "input", id: "model-max", inputmode: "numeric", value: "{max}", oninput: move |e: FormEvent| max.set(e.value()) }
                }
            }
            div { class: "field",
                label { r#for: "model-factory", {t(lang, ImportKey::ModelFieldFactory)} }
                input { class: "input mono", id: "model-factory", autocomplete: "off", value: "{factory}", oninput: move |e: FormEvent| factory.set(e.value()) }
            }
            if let Some((ok, text)) = message() {
                p { class: if ok { "hint" } else { "alert" }, role: if ok { "status" } else { "alert" }, "{text}" }
            }
            button { class: "button button-primary desk-small", r#type: "submit", {t(lang, ImportKey::ModelAdd)} }
        }
    }
}

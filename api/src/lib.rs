//! The contract between the Kluis PWA and the sync server: the request and answer types of
//! every JSON endpoint, with the domain's typed ids and enums.
//!
//! The server's handlers return these types and its OpenAPI description is generated from
//! them (feature `openapi`); the app decodes the same types. A field renamed here is renamed
//! on both sides, or the build fails. Nothing has `#[serde(default)]`: an answer without a
//! field the app needs is an error the app shows, not an empty column. Optional fields are
//! `Option`s and say why in their docs.
//!
//! Endpoint paths live in [`paths`], so the router and the app's calls agree.

pub mod admin;
pub mod attention;
pub mod audit;
pub mod auth;
pub mod campaigns;
pub mod check;
pub mod confirmations;
pub mod door;
pub mod error;
pub mod evaluation;
pub mod import;
pub mod paths;
pub mod people;
pub mod registry;
pub mod reports;
pub mod requests;
pub mod settings;

pub use error::{ErrorBody, ErrorCode, WipeReason};

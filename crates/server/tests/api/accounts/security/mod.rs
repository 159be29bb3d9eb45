//! The OWASP API Security Top 10 items that apply to the account routes:
//! object- and property-level authorisation (API1, API3), broken
//! authentication (API2), resource consumption (API4) and misconfiguration
//! (API8).
//!
//! One file per item: `own_data` (API1/API3), `authentication` (API2),
//! `secrets` (API3: no secret in any answer) and `limits` (API4/API8).

mod authentication;
mod limits;
mod own_data;
mod secrets;

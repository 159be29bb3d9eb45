//! Accounts: the email-code flows, tokens and the user's own profile.

mod codes;
mod journey;
mod login;
mod me;
mod password_reset;
mod rate_limits;
mod register;
mod security;
mod tokens;

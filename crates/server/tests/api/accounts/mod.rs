//! Accounts: the email-code flows, tokens and the user's own profile.

mod journey;

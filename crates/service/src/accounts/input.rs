//! Raw input of the account flows.

/// `POST /auth/register` as received.
#[derive(Debug, Clone)]
pub struct RegistrationInput {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub password: String,
    pub phone: Option<String>,
}

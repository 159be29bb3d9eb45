//! Learning: course access that admins grant, extend and revoke; videos and
//! progress under an active grant; once-only workbook downloads and
//! certificates (with admin resets); isolation between users; and the access
//! job's reminder and end-of-access mails.

mod certificates;
mod expiry_job;
mod grant_extend;
mod grants;
mod helpers;
mod isolation;
mod lessons;
mod object_storage;
mod workbooks;

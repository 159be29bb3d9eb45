//! Every route, registered through utoipa-actix-web's `service(...)` so that each
//! appears in the OpenAPI document (a `.route(...)` would silently escape it).

mod admin;
mod auth;
mod cookies;
mod files;
mod me;
mod operations;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(operations::live)
        .service(operations::ready)
        .service(operations::metrics)
        .service(
            scope::scope("/api/v1")
                .service(files::download)
                .service(auth::register)
                .service(auth::register_verify)
                .service(auth::login)
                .service(auth::login_verify)
                .service(auth::password_forgot)
                .service(auth::password_verify)
                .service(auth::password_reset)
                .service(auth::code_resend)
                .service(auth::refresh)
                .service(auth::logout)
                .service(auth::logout_all)
                .service(me::me)
                .service(me::update_me)
                .service(me::put_avatar)
                .service(me::change_password)
                .service(me::delete_me)
                .service(admin::auth::login)
                .service(admin::auth::login_verify)
                .service(admin::auth::code_resend)
                .service(admin::auth::refresh)
                .service(admin::auth::logout)
                .service(admin::users::list)
                .service(admin::users::get)
                .service(admin::users::update)
                .service(admin::admins::list)
                .service(admin::admins::create)
                .service(admin::audit::list),
        );
}

//! Every route, registered through utoipa-actix-web's `service(...)` so that each
//! appears in the OpenAPI document (a `.route(...)` would silently escape it).

mod admin;
mod auth;
mod catalogue;
mod cookies;
mod files;
mod learning;
mod me;
mod operations;
mod uploads;

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
                .service(admin::access::grant)
                .service(admin::access::revoke)
                .service(admin::access::reset_workbook)
                .service(admin::access::reset_certificate)
                .service(admin::admins::list)
                .service(admin::admins::create)
                .service(admin::audit::list)
                .service(catalogue::directions)
                .service(catalogue::direction)
                .service(catalogue::courses)
                .service(catalogue::course)
                .service(catalogue::lesson)
                .service(learning::video)
                .service(learning::progress)
                .service(learning::download_workbook)
                .service(learning::claim_certificate)
                .service(learning::check_certificate)
                .service(admin::catalogue::directions)
                .service(admin::catalogue::create_direction)
                .service(admin::catalogue::get_direction)
                .service(admin::catalogue::update_direction)
                .service(admin::catalogue::delete_direction)
                .service(admin::catalogue::courses)
                .service(admin::catalogue::create_course)
                .service(admin::catalogue::get_course)
                .service(admin::catalogue::update_course)
                .service(admin::catalogue::delete_course)
                .service(admin::catalogue::create_module)
                .service(admin::catalogue::update_module)
                .service(admin::catalogue::delete_module)
                .service(admin::catalogue::create_lesson)
                .service(admin::catalogue::update_lesson)
                .service(admin::catalogue::delete_lesson)
                .service(admin::catalogue::set_video)
                .service(admin::catalogue::create_workbook)
                .service(admin::catalogue::delete_workbook)
                .service(admin::catalogue::put_certificate),
        );
}

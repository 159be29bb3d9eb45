//! Every route, registered through utoipa-actix-web's `service(...)` so that each
//! appears in the OpenAPI document (a `.route(...)` would silently escape it).

mod files;
mod operations;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(operations::live)
        .service(operations::ready)
        .service(operations::metrics)
        .service(scope::scope("/api/v1").service(files::download));
}

//! The OpenAPI document: routes collected from the same registration the app
//! uses, plus metadata and the two bearer schemes (user and admin tokens).

use crate::routes;
use actix_web::App;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Bilim API",
        description = "REST API of Bilim, the online education platform: accounts, catalogue, course access, learning.",
    ),
    modifiers(&BearerSchemes),
    tags(
        (name = "auth", description = "Email-code registration, login and password reset; tokens"),
        (name = "users", description = "The signed-in user's own account"),
        (name = "catalogue", description = "Directions, courses, modules, lessons: published content, never a video"),
        (name = "learning", description = "Videos, progress, once-only workbooks and certificates of the courses opened to the user"),
        (name = "admin-catalogue", description = "Catalogue management for admins"),
        (name = "admin", description = "The admin dashboard: admin login, users and their course access, admins, audit log"),
        (name = "operations", description = "Health and metrics"),
        (name = "files", description = "Stored files through signed links"),
    )
)]
pub(crate) struct ApiDoc;

impl ApiDoc {
    /// Metadata and security schemes, before routes are added.
    pub(crate) fn document() -> utoipa::openapi::OpenApi {
        <Self as OpenApi>::openapi()
    }
}

struct BearerSchemes;

impl Modify for BearerSchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (name, description) in [
            ("user_token", "Access token of a user (aud=user)"),
            ("admin_token", "Access token of an admin (aud=admin)"),
        ] {
            let scheme = HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT")
                .description(Some(description))
                .build();
            components.add_security_scheme(name, SecurityScheme::Http(scheme));
        }
    }
}

/// The whole document, as served at `/api-docs/openapi.json` and printed by
/// `bilim openapi`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::document())
        .configure(routes::configure)
        .split_for_parts()
        .1
}

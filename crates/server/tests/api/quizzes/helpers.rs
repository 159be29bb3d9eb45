//! A quiz app: an admin, a published course with a lesson, a test of four
//! questions (one of each kind) and students with access.

use crate::helpers::{TestApp, spawn_app};
use crate::support::{
    ADMIN_LESSONS, admin_login, course, create_admin, direction, get, json_of, lesson, module,
    post, put,
};
use bilim_domain::admins::AdminRole;
use reqwest::Response;
use serde_json::{Value, json};

pub(super) const TESTS: &str = "/api/v1/tests";
pub(super) const ATTEMPTS: &str = "/api/v1/attempts";
pub(super) const ADMIN_TESTS: &str = "/api/v1/admin/tests";
pub(super) const ADMIN_QUESTIONS: &str = "/api/v1/admin/questions";

/// The text answer no user may see before submitting.
pub(super) const SECRET_TEXT: &str = "Oʻzbekiston-sirri";
/// The number answer no user may see before submitting.
pub(super) const SECRET_NUMBER: &str = "31415.926";

pub(super) struct Quiz {
    pub app: TestApp,
    pub admin: String,
    pub direction: String,
    pub course: String,
    pub lesson: String,
    pub test: String,
    /// The single choice: its id, right option, wrong option.
    pub single: (String, String, String),
    /// The multiple choice: its id and options (0 and 1 right, 2 wrong).
    pub multiple: (String, Vec<String>),
    pub number: String,
    pub text: String,
}

pub(super) struct Student {
    pub id: String,
    pub token: String,
}

/// `POST /admin/lessons/{lesson}/tests` with `body`.
pub(super) async fn create_test(
    app: &TestApp,
    admin: &str,
    lesson: &str,
    body: &Value,
) -> Response {
    post(app, &format!("{ADMIN_LESSONS}/{lesson}/tests"), admin, body).await
}

/// `POST /admin/tests/{test}/questions` with `body`.
pub(super) async fn add_question(app: &TestApp, admin: &str, test: &str, body: &Value) -> Response {
    post(app, &format!("{ADMIN_TESTS}/{test}/questions"), admin, body).await
}

fn ids(question: &Value) -> Vec<String> {
    question["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect()
}

/// A quiz whose test has `test_fields` (title added) and four questions of
/// 2 + 4 + 3 + 1 = 10 points.
pub(super) async fn quiz_with(test_fields: Value) -> Quiz {
    let app = spawn_app().await;
    create_admin(&app, "ustoz", "ustoz@bilim.uz", AdminRole::Admin).await;
    let admin = admin_login(&app, "ustoz", "ustoz@bilim.uz").await.access;
    let direction = direction(&app, &admin, "Matematika").await;
    let created = course(
        &app,
        &admin,
        &direction,
        "Kasrlar",
        json!({"status": "published"}),
    )
    .await;
    let course_id = created["id"].as_str().unwrap().to_owned();
    let made = module(&app, &admin, &course_id, json!({"title": "Birinchi modul"})).await;
    let made = lesson(
        &app,
        &admin,
        made["id"].as_str().unwrap(),
        json!({"title": "Kasrlarni qoʻshish"}),
    )
    .await;
    let lesson_id = made["id"].as_str().unwrap().to_owned();
    let mut body = json!({"title": "Kasrlar: 1-test"});
    for (key, value) in test_fields.as_object().unwrap() {
        body[key] = value.clone();
    }
    let test = json_of(create_test(&app, &admin, &lesson_id, &body).await, 201).await;
    let test_id = test["id"].as_str().unwrap().to_owned();
    let single = json_of(
        add_question(
            &app,
            &admin,
            &test_id,
            &json!({
                "kind": "single", "text": "1/2 + 1/4 nechaga teng?", "points": 2,
                "options": [{"text": "3/4", "correct": true}, {"text": "2/6", "correct": false}],
            }),
        )
        .await,
        201,
    )
    .await;
    let multiple = json_of(
        add_question(
            &app,
            &admin,
            &test_id,
            &json!({
                "kind": "multiple", "text": "Qaysilari 1/2 ga teng?", "points": 4,
                "options": [
                    {"text": "2/4", "correct": true},
                    {"text": "3/6", "correct": true},
                    {"text": "2/3", "correct": false},
                ],
            }),
        )
        .await,
        201,
    )
    .await;
    let number = json_of(
        add_question(
            &app,
            &admin,
            &test_id,
            &json!({
                "kind": "number", "text": "Sirli sonni yozing", "points": 3,
                "answer": SECRET_NUMBER, "tolerance": 0.01,
            }),
        )
        .await,
        201,
    )
    .await;
    let text = json_of(
        add_question(
            &app,
            &admin,
            &test_id,
            &json!({
                "kind": "text", "text": "Sirli soʻzni yozing", "answer": SECRET_TEXT,
            }),
        )
        .await,
        201,
    )
    .await;
    let single_options = ids(&single);
    Quiz {
        admin,
        direction,
        course: course_id,
        lesson: lesson_id,
        test: test_id,
        single: (
            single["id"].as_str().unwrap().to_owned(),
            single_options[0].clone(),
            single_options[1].clone(),
        ),
        multiple: (multiple["id"].as_str().unwrap().to_owned(), ids(&multiple)),
        number: number["id"].as_str().unwrap().to_owned(),
        text: text["id"].as_str().unwrap().to_owned(),
        app,
    }
}

pub(super) async fn quiz() -> Quiz {
    quiz_with(json!({})).await
}

impl Quiz {
    /// A registered user; with `access`, the course granted for its default
    /// term.
    pub(super) async fn student(&self, email: &str, access: bool) -> Student {
        let body = self.app.register(email).await;
        let student = Student {
            id: body["user"]["id"].as_str().unwrap().to_owned(),
            token: body["access_token"].as_str().unwrap().to_owned(),
        };
        if access {
            let path = format!("/api/v1/admin/users/{}/courses", student.id);
            json_of(
                post(
                    &self.app,
                    &path,
                    &self.admin,
                    &json!({"course_ids": [self.course]}),
                )
                .await,
                200,
            )
            .await;
        }
        student
    }

    pub(super) async fn start(&self, student: &Student) -> Response {
        post(
            &self.app,
            &format!("{TESTS}/{}/attempts", self.test),
            &student.token,
            &json!({}),
        )
        .await
    }

    /// Starts an attempt that must answer 201; returns it.
    pub(super) async fn started(&self, student: &Student) -> Value {
        json_of(self.start(student).await, 201).await
    }

    pub(super) async fn save(&self, student: &Student, attempt: &str, answers: Value) -> Response {
        put(
            &self.app,
            &format!("{ATTEMPTS}/{attempt}/answers"),
            &student.token,
            &json!({"answers": answers}),
        )
        .await
    }

    pub(super) async fn submit(&self, student: &Student, attempt: &str) -> Response {
        post(
            &self.app,
            &format!("{ATTEMPTS}/{attempt}/submit"),
            &student.token,
            &json!({}),
        )
        .await
    }

    /// Every answer right.
    pub(super) fn all_right(&self) -> Value {
        json!([
            {"question_id": self.single.0, "option_ids": [self.single.1]},
            {"question_id": self.multiple.0, "option_ids": [self.multiple.1[0], self.multiple.1[1]]},
            {"question_id": self.number, "value": SECRET_NUMBER},
            {"question_id": self.text, "value": SECRET_TEXT},
        ])
    }

    pub(super) async fn overview(&self, student: &Student) -> Value {
        json_of(
            get(&self.app, &format!("{TESTS}/{}", self.test), &student.token).await,
            200,
        )
        .await
    }

    pub(super) async fn me(&self, student: &Student) -> Value {
        json_of(
            get(&self.app, "/api/v1/users/me", &student.token).await,
            200,
        )
        .await
    }
}

//! `[anyone, no token]` browsing: directions, course lists (filters, search,
//! keyset pages), a course with everything related, a lesson. Published
//! content only: drafts and archives answer 404 here and stay visible to admins.

use super::helpers::{
    ADMIN_COURSES, ADMIN_LESSONS, COURSES, DIRECTIONS, LESSONS, certificate, course, direction,
    get, ids, insert_user, json_of, lesson, module, object_keys, patch, pdf, problem, public,
    published, set_status, sorted, walk, with_query, workbook,
};
use crate::helpers::spawn_app;
use bilim_domain::users::UserRole;
use serde_json::{Value, json};

const SUMMARY_KEYS: &[&str] = &[
    "id",
    "direction_id",
    "title",
    "description",
    "level",
    "status",
    "teacher_id",
    "access_months",
    "created_at",
    "updated_at",
];
const DIRECTION_KEYS: &[&str] = &["id", "name", "description", "position"];
const LESSON_KEYS: &[&str] = &["id", "module_id", "title", "description", "position"];
const WORKBOOK_KEYS: &[&str] = &["id", "course_id", "lesson_id", "title", "size_bytes"];

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

fn reversed(ids: &[String]) -> Vec<String> {
    ids.iter().rev().cloned().collect()
}

/// The ids of `GET /courses` with `query`.
async fn listed(app: &crate::helpers::TestApp, query: &[(&str, &str)]) -> Vec<String> {
    ids(&public(app, &with_query(COURSES, query)).await)
}

#[tokio::test]
async fn directions_are_listed_and_a_direction_shows_only_its_published_courses() {
    let app = spawn_app().await;
    let token = super::helpers::admin_token(&app).await;
    let maths = direction(&app, &token, "Matematika").await;
    let english = direction(&app, &token, "Ingliz tili").await;
    let empty = direction(&app, &token, "Dasturlash").await;
    let algebra = published(&app, &token, &maths, "Algebra").await;
    let draft = course(&app, &token, &maths, "Geometriya", json!({})).await;
    let archived = published(&app, &token, &maths, "Trigonometriya").await;
    set_status(&app, &token, &archived, "archived").await;
    let speaking = published(&app, &token, &english, "Speaking").await;

    let list = public(&app, DIRECTIONS).await;
    assert_eq!(object_keys(&list), sorted(&["items"]), "{list}");
    let listed = ids(&list);
    assert_eq!(listed.len(), 3, "{list}");
    for expected in [&maths, &english, &empty] {
        assert!(listed.contains(expected), "{list}");
    }
    for item in list["items"].as_array().unwrap() {
        assert_eq!(object_keys(item), sorted(DIRECTION_KEYS), "{item}");
    }
    // Positions are 1..n in order of creation.
    let positions: Vec<i64> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["position"].as_i64().unwrap())
        .collect();
    assert_eq!(positions, [1, 2, 3], "{list}");

    let detail = public(&app, &format!("{DIRECTIONS}/{maths}")).await;
    let mut keys = DIRECTION_KEYS.to_vec();
    keys.push("courses");
    assert_eq!(object_keys(&detail), sorted(&keys), "{detail}");
    assert_eq!(detail["id"], maths.as_str());
    assert_eq!(detail["name"], "Matematika");
    assert_eq!(
        ids(&detail["courses"]),
        std::slice::from_ref(&algebra),
        "{detail}"
    );
    for summary in detail["courses"].as_array().unwrap() {
        assert_eq!(object_keys(summary), sorted(SUMMARY_KEYS), "{summary}");
        assert_eq!(summary["status"], "published");
    }
    assert!(!detail.to_string().contains(draft["id"].as_str().unwrap()));

    let detail = public(&app, &format!("{DIRECTIONS}/{english}")).await;
    assert_eq!(ids(&detail["courses"]), [speaking], "{detail}");
    let detail = public(&app, &format!("{DIRECTIONS}/{empty}")).await;
    assert_eq!(detail["courses"], json!([]), "{detail}");
}

#[tokio::test]
async fn the_course_list_holds_published_courses_only_newest_first_whatever_status_is_asked() {
    let app = spawn_app().await;
    let token = super::helpers::admin_token(&app).await;
    let maths = direction(&app, &token, "Matematika").await;
    let first = published(&app, &token, &maths, "Birinchi").await;
    course(&app, &token, &maths, "Qoralama", json!({})).await;
    let second = published(&app, &token, &maths, "Ikkinchi").await;
    let archived = published(&app, &token, &maths, "Arxiv").await;
    set_status(&app, &token, &archived, "archived").await;
    let third = published(&app, &token, &maths, "Uchinchi").await;
    let expected = vec![third, second, first];

    let page = public(&app, COURSES).await;
    assert_eq!(
        object_keys(&page),
        sorted(&["items", "next_cursor"]),
        "{page}"
    );
    assert_eq!(ids(&page), expected, "{page}");
    assert!(page["next_cursor"].is_null(), "{page}");
    for summary in page["items"].as_array().unwrap() {
        assert_eq!(object_keys(summary), sorted(SUMMARY_KEYS), "{summary}");
        assert_eq!(summary["status"], "published", "{summary}");
        assert_eq!(summary["direction_id"], maths.as_str());
        assert_eq!(summary["access_months"], 6);
    }
    // `status` is an admin filter: the public list ignores it.
    for status in ["draft", "archived", "published"] {
        assert_eq!(
            listed(&app, &[("status", status)]).await,
            expected,
            "{status}"
        );
    }
}

#[tokio::test]
async fn keyset_pages_give_every_published_course_once_newest_first() {
    let app = spawn_app().await;
    let token = super::helpers::admin_token(&app).await;
    let maths = direction(&app, &token, "Matematika").await;
    let mut created = Vec::new();
    for i in 0..7 {
        created.push(published(&app, &token, &maths, &format!("Kurs {i}")).await);
        if i % 3 == 0 {
            course(&app, &token, &maths, &format!("Qoralama {i}"), json!({})).await;
        }
    }
    let newest_first = reversed(&created);

    for limit in [1, 3, 7, 100] {
        let pages = walk(&app, &[], limit).await;
        let all: Vec<String> = pages.iter().flat_map(ids).collect();
        assert_eq!(all, newest_first, "limit {limit}");
        assert_eq!(pages.len(), 7usize.div_ceil(limit).max(1), "limit {limit}");
        for page in &pages[..pages.len() - 1] {
            assert_eq!(ids(page).len(), limit, "limit {limit}: {page}");
        }
        assert!(pages.last().unwrap()["next_cursor"].is_null());
    }
    // The default page holds them all (default 20).
    assert_eq!(listed(&app, &[]).await, newest_first);

    // A cursor keeps working after a new course is published: the new one is
    // not on later pages, and nothing repeats.
    let first = public(&app, &with_query(COURSES, &[("limit", "2")])).await;
    let newer = published(&app, &token, &maths, "Yangi").await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = public(
        &app,
        &with_query(COURSES, &[("limit", "100"), ("cursor", cursor)]),
    )
    .await;
    assert_eq!(ids(&rest), newest_first[2..].to_vec(), "{rest}");
    assert!(!ids(&rest).contains(&newer));
}

#[tokio::test]
async fn courses_are_filtered_by_direction_and_level_and_pages_keep_the_filter() {
    let app = spawn_app().await;
    let token = super::helpers::admin_token(&app).await;
    let maths = direction(&app, &token, "Matematika").await;
    let english = direction(&app, &token, "Ingliz tili").await;
    let level = |level: &str| json!({"status": "published", "level": level});
    let m_beginner = id(&course(&app, &token, &maths, "M1", level("beginner")).await);
    let m_advanced = id(&course(&app, &token, &maths, "M2", level("advanced")).await);
    let e_advanced = id(&course(&app, &token, &english, "E1", level("advanced")).await);
    let m_intermediate = id(&course(&app, &token, &maths, "M3", level("intermediate")).await);
    // A draft that matches every filter is still left out.
    course(&app, &token, &maths, "M4", json!({"level": "advanced"})).await;

    assert_eq!(
        listed(&app, &[("direction_id", &maths)]).await,
        [
            m_intermediate.clone(),
            m_advanced.clone(),
            m_beginner.clone()
        ]
    );
    assert_eq!(
        listed(&app, &[("direction_id", &english)]).await,
        std::slice::from_ref(&e_advanced)
    );
    assert_eq!(
        listed(&app, &[("level", "advanced")]).await,
        [e_advanced.clone(), m_advanced.clone()]
    );
    assert_eq!(
        listed(&app, &[("level", "intermediate")]).await,
        std::slice::from_ref(&m_intermediate)
    );
    assert_eq!(
        listed(&app, &[("direction_id", &maths), ("level", "advanced")]).await,
        std::slice::from_ref(&m_advanced)
    );
    let nowhere = uuid::Uuid::now_v7().to_string();
    assert!(listed(&app, &[("direction_id", &nowhere)]).await.is_empty());

    let pages = walk(&app, &[("direction_id", &maths)], 1).await;
    let all: Vec<String> = pages.iter().flat_map(ids).collect();
    assert_eq!(all, [m_intermediate, m_advanced, m_beginner]);
}

#[tokio::test]
async fn the_title_search_ignores_case_in_uzbek_latin_and_cyrillic_and_takes_wildcards_literally() {
    let app = spawn_app().await;
    let token = super::helpers::admin_token(&app).await;
    let dir = direction(&app, &token, "Tillar").await;
    let algebra = published(&app, &token, &dir, "Algebra asoslari").await;
    let cyrillic = published(&app, &token, &dir, "Алгебра асослари").await;
    let uzbek = published(&app, &token, &dir, "Oʻzbek tili va adabiyoti").await;
    let uzbek_cyrillic = published(&app, &token, &dir, "ЎЗБЕК ТИЛИ").await;
    let percent = published(&app, &token, &dir, "Ingliz tili: 100% natija").await;
    let underscore = published(&app, &token, &dir, "Python_dasturlash").await;
    // A draft with a matching title is never found.
    course(&app, &token, &dir, "Algebra qoralama", json!({})).await;

    let cases: Vec<(&str, Vec<&String>)> = vec![
        ("algebra", vec![&algebra]),
        ("ALGEBRA", vec![&algebra]),
        ("aLgEbRa AsOsLaRi", vec![&algebra]),
        ("алгебра", vec![&cyrillic]),
        ("АЛГЕБРА", vec![&cyrillic]),
        ("Асослари", vec![&cyrillic]),
        ("oʻzbek", vec![&uzbek]),
        ("OʻZBEK TILI", vec![&uzbek]),
        ("ўзбек", vec![&uzbek_cyrillic]),
        ("тили", vec![&uzbek_cyrillic]),
        ("tili", vec![&percent, &uzbek]),
        ("100%", vec![&percent]),
        ("%", vec![&percent]),
        ("_", vec![&underscore]),
        ("n_d", vec![&underscore]),
        ("  asoslari  ", vec![&algebra]),
        ("kimyo", vec![]),
    ];
    for (q, expected) in cases {
        let expected: Vec<String> = expected.into_iter().cloned().collect();
        assert_eq!(listed(&app, &[("q", q)]).await, expected, "q={q:?}");
    }
    // An empty search finds every published course.
    assert_eq!(listed(&app, &[("q", "")]).await.len(), 6);
    // Search and the other filters combine.
    assert_eq!(
        listed(&app, &[("q", "algebra"), ("level", "advanced")]).await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn a_published_course_shows_its_direction_teacher_ordered_outline_workbooks_and_certificate()
{
    let app = spawn_app().await;
    let token = super::helpers::admin_token(&app).await;
    let teacher = insert_user(&app, "ustoz@bilim.uz", UserRole::Teacher).await;
    let dir = direction(&app, &token, "Matematika").await;
    let created = course(
        &app,
        &token,
        &dir,
        "Algebra",
        json!({"teacher_id": teacher, "access_months": 12}),
    )
    .await;
    let course_id = id(&created);
    // Modules: made out of order, then one inserted first and one moved.
    let second = id(&module(&app, &token, &course_id, json!({"title": "Ikkinchi"})).await);
    let third = id(&module(&app, &token, &course_id, json!({"title": "Uchinchi"})).await);
    let first = id(&module(
        &app,
        &token,
        &course_id,
        json!({"title": "Birinchi", "position": 1}),
    )
    .await);
    // Lessons of the first module: c, a, then b moved between them.
    let c = id(&lesson(
        &app,
        &token,
        &first,
        json!({"title": "C", "description": "c"}),
    )
    .await);
    let b = id(&lesson(&app, &token, &first, json!({"title": "B"})).await);
    let a = id(&lesson(&app, &token, &first, json!({"title": "A", "position": 1})).await);
    json_of(
        patch(
            &app,
            &format!("{ADMIN_LESSONS}/{b}"),
            &token,
            &json!({"position": 2}),
        )
        .await,
        200,
    )
    .await;
    let lone = id(&lesson(&app, &token, &third, json!({"title": "Yakka"})).await);
    let whole = workbook(&app, &token, &course_id, "Umumiy", None, &pdf(1, 2048)).await;
    let of_lesson = workbook(
        &app,
        &token,
        &course_id,
        "A mashqlari",
        Some(&a),
        &pdf(2, 4096),
    )
    .await;
    let certificate = certificate(&app, &token, &course_id, "Algebra sertifikati").await;
    set_status(&app, &token, &course_id, "published").await;

    let detail = public(&app, &format!("{COURSES}/{course_id}")).await;
    let mut keys = SUMMARY_KEYS.to_vec();
    keys.extend([
        "direction",
        "teacher",
        "modules",
        "workbooks",
        "certificate",
        "tests",
    ]);
    assert_eq!(object_keys(&detail), sorted(&keys), "{detail}");
    assert_eq!(detail["id"], course_id.as_str());
    assert_eq!(detail["title"], "Algebra");
    assert_eq!(detail["description"], "Algebra haqida");
    assert_eq!(detail["level"], "beginner");
    assert_eq!(detail["status"], "published");
    assert_eq!(detail["access_months"], 12);
    assert_eq!(detail["teacher_id"], teacher.as_str());

    assert_eq!(object_keys(&detail["direction"]), sorted(DIRECTION_KEYS));
    assert_eq!(detail["direction"]["id"], dir.as_str());
    assert_eq!(detail["direction"]["name"], "Matematika");

    assert_eq!(
        detail["teacher"],
        json!({"id": teacher, "first_name": "Gʻayrat", "last_name": "Oʻrinov"}),
        "only the teacher's id and names: {detail}"
    );

    let modules = detail["modules"].as_array().unwrap();
    assert_eq!(
        ids(&detail["modules"]),
        [first.clone(), second, third.clone()]
    );
    for (i, module) in modules.iter().enumerate() {
        assert_eq!(
            object_keys(module),
            sorted(&["id", "course_id", "title", "position", "lessons"]),
            "{module}"
        );
        assert_eq!(module["position"], i + 1, "{module}");
        assert_eq!(module["course_id"], course_id.as_str());
    }
    assert_eq!(
        modules
            .iter()
            .map(|m| m["title"].clone())
            .collect::<Vec<_>>(),
        ["Birinchi", "Ikkinchi", "Uchinchi"]
    );
    assert_eq!(ids(&modules[0]["lessons"]), [a.clone(), b, c]);
    for (i, lesson) in modules[0]["lessons"].as_array().unwrap().iter().enumerate() {
        assert_eq!(object_keys(lesson), sorted(LESSON_KEYS), "{lesson}");
        assert_eq!(lesson["position"], i + 1, "{lesson}");
        assert_eq!(lesson["module_id"], first.as_str());
    }
    assert_eq!(modules[0]["lessons"][2]["description"], "c");
    assert_eq!(modules[0]["lessons"][0]["description"], "");
    assert_eq!(modules[1]["lessons"], json!([]));
    assert_eq!(ids(&modules[2]["lessons"]), [lone]);

    let workbooks = detail["workbooks"].as_array().unwrap();
    assert_eq!(ids(&detail["workbooks"]), [id(&whole), id(&of_lesson)]);
    for workbook in workbooks {
        assert_eq!(object_keys(workbook), sorted(WORKBOOK_KEYS), "{workbook}");
        assert_eq!(workbook["course_id"], course_id.as_str());
    }
    assert_eq!(workbooks[0]["lesson_id"], Value::Null);
    assert_eq!(workbooks[0]["size_bytes"], 2048);
    assert_eq!(workbooks[1]["lesson_id"], a.as_str());
    assert_eq!(workbooks[1]["title"], "A mashqlari");

    assert_eq!(
        detail["certificate"],
        json!({"id": certificate["id"], "course_id": course_id, "title": "Algebra sertifikati"})
    );

    // Admins see the same tree.
    let admin_view = json_of(
        get(&app, &format!("{ADMIN_COURSES}/{course_id}"), &token).await,
        200,
    )
    .await;
    assert_eq!(admin_view, detail);
}

#[tokio::test]
async fn a_course_without_teacher_outline_workbooks_or_certificate_shows_them_empty() {
    let app = spawn_app().await;
    let token = super::helpers::admin_token(&app).await;
    let dir = direction(&app, &token, "Fizika").await;
    let course_id = published(&app, &token, &dir, "Mexanika").await;

    let detail = public(&app, &format!("{COURSES}/{course_id}")).await;
    assert_eq!(detail["teacher"], Value::Null, "{detail}");
    assert_eq!(detail["teacher_id"], Value::Null, "{detail}");
    assert_eq!(detail["certificate"], Value::Null, "{detail}");
    assert_eq!(detail["modules"], json!([]), "{detail}");
    assert_eq!(detail["workbooks"], json!([]), "{detail}");
}

#[tokio::test]
async fn a_lesson_shows_its_module_its_course_summary_and_only_its_own_workbooks() {
    let app = spawn_app().await;
    let token = super::helpers::admin_token(&app).await;
    let dir = direction(&app, &token, "Kimyo").await;
    let course_id = published(&app, &token, &dir, "Organik kimyo").await;
    let module_id = id(&module(&app, &token, &course_id, json!({"title": "Uglevodorodlar"})).await);
    let first = id(&lesson(&app, &token, &module_id, json!({"title": "Alkanlar"})).await);
    let second = id(&lesson(
        &app,
        &token,
        &module_id,
        json!({"title": "Alkenlar", "description": "Qoʻsh bogʻ"}),
    )
    .await);
    workbook(
        &app,
        &token,
        &course_id,
        "Kurs daftari",
        None,
        &pdf(3, 1500),
    )
    .await;
    workbook(
        &app,
        &token,
        &course_id,
        "Alkan daftari",
        Some(&first),
        &pdf(4, 1500),
    )
    .await;
    let own = workbook(
        &app,
        &token,
        &course_id,
        "Alken daftari",
        Some(&second),
        &pdf(5, 1600),
    )
    .await;

    let view = public(&app, &format!("{LESSONS}/{second}")).await;
    let mut keys = LESSON_KEYS.to_vec();
    keys.extend(["module", "course", "workbooks", "tests"]);
    assert_eq!(object_keys(&view), sorted(&keys), "{view}");
    assert_eq!(view["id"], second.as_str());
    assert_eq!(view["title"], "Alkenlar");
    assert_eq!(view["description"], "Qoʻsh bogʻ");
    assert_eq!(view["position"], 2);
    assert_eq!(view["module_id"], module_id.as_str());
    assert_eq!(
        view["module"],
        json!({"id": module_id, "course_id": course_id, "title": "Uglevodorodlar", "position": 1})
    );
    assert_eq!(
        object_keys(&view["course"]),
        sorted(SUMMARY_KEYS),
        "a summary only: {view}"
    );
    assert_eq!(view["course"]["id"], course_id.as_str());
    assert_eq!(ids(&view["workbooks"]), [id(&own)], "{view}");
    assert_eq!(object_keys(&view["workbooks"][0]), sorted(WORKBOOK_KEYS));
    assert_eq!(view["workbooks"][0]["size_bytes"], 1600);
}

#[tokio::test]
async fn drafts_and_archived_courses_and_their_lessons_are_404_publicly_but_visible_to_admins() {
    let app = spawn_app().await;
    let token = super::helpers::admin_token(&app).await;
    let dir = direction(&app, &token, "Tarix").await;
    for status in ["draft", "archived"] {
        let course_id = id(&course(&app, &token, &dir, &format!("Kurs {status}"), json!({})).await);
        let module_id = id(&module(&app, &token, &course_id, json!({"title": "Modul"})).await);
        let lesson_id = id(&lesson(&app, &token, &module_id, json!({"title": "Dars"})).await);
        if status == "archived" {
            set_status(&app, &token, &course_id, "published").await;
            public(&app, &format!("{COURSES}/{course_id}")).await;
            set_status(&app, &token, &course_id, "archived").await;
        }

        problem(
            app.get(&format!("{COURSES}/{course_id}")).await,
            404,
            "course.not_found",
        )
        .await;
        problem(
            app.get(&format!("{LESSONS}/{lesson_id}")).await,
            404,
            "lesson.not_found",
        )
        .await;
        assert!(!listed(&app, &[]).await.contains(&course_id), "{status}");
        let detail = public(&app, &format!("{DIRECTIONS}/{dir}")).await;
        assert!(!ids(&detail["courses"]).contains(&course_id), "{status}");

        let admin_view = json_of(
            get(&app, &format!("{ADMIN_COURSES}/{course_id}"), &token).await,
            200,
        )
        .await;
        assert_eq!(admin_view["status"], status);
        assert_eq!(
            ids(&admin_view["modules"][0]["lessons"]),
            std::slice::from_ref(&lesson_id)
        );
        let admin_list = json_of(
            get(
                &app,
                &with_query(ADMIN_COURSES, &[("status", status)]),
                &token,
            )
            .await,
            200,
        )
        .await;
        assert_eq!(
            ids(&admin_list),
            std::slice::from_ref(&course_id),
            "{status}"
        );

        // Published, it shows; back to `status`, it hides again.
        set_status(&app, &token, &course_id, "published").await;
        public(&app, &format!("{COURSES}/{course_id}")).await;
        public(&app, &format!("{LESSONS}/{lesson_id}")).await;
        assert!(listed(&app, &[]).await.contains(&course_id));
        set_status(&app, &token, &course_id, status).await;
        problem(
            app.get(&format!("{LESSONS}/{lesson_id}")).await,
            404,
            "lesson.not_found",
        )
        .await;
    }
    // The admin list shows every status, newest first.
    let all = json_of(get(&app, ADMIN_COURSES, &token).await, 200).await;
    let statuses: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["archived", "draft"], "{all}");
}

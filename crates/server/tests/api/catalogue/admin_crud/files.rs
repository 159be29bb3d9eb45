//! Deleting a course, a lesson or a module removes the files it held (uploaded
//! videos, workbooks) with it, and only those.

use super::{id, module_outline, outline};
use crate::catalogue::helpers::{
    ADMIN_COURSES, ADMIN_LESSONS, ADMIN_MODULES, ADMIN_WORKBOOKS, LESSONS, admin_token,
    certificate, course, delete, direction, get, ids, json_of, lesson, module, mp4, pdf, problem,
    put_video_url, stored, stored_under, upload_video, workbook,
};
use crate::helpers::spawn_app;
use serde_json::{Value, json};

#[tokio::test]
async fn deleting_a_course_removes_its_outline_and_every_file_it_held() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let maths = direction(&app, &token, "Matematika").await;
    let doomed = id(&course(&app, &token, &maths, "Algebra", json!({})).await);
    let kept = id(&course(&app, &token, &maths, "Geometriya", json!({})).await);
    let module_id = id(&module(&app, &token, &doomed, json!({"title": "M"})).await);
    let uploaded = id(&lesson(&app, &token, &module_id, json!({"title": "L1"})).await);
    let external = id(&lesson(&app, &token, &module_id, json!({"title": "L2"})).await);
    assert_eq!(
        upload_video(&app, &token, &uploaded, &mp4(1, 5000), Some("60"))
            .await
            .status(),
        204
    );
    assert_eq!(
        put_video_url(&app, &token, &external, "https://cdn.example.uz/a.mp4", 60)
            .await
            .status(),
        204
    );
    workbook(&app, &token, &doomed, "Daftar", None, &pdf(1, 3000)).await;
    workbook(
        &app,
        &token,
        &doomed,
        "Dars daftari",
        Some(&uploaded),
        &pdf(2, 3000),
    )
    .await;
    certificate(&app, &token, &doomed, "Sertifikat").await;
    // Another course's files stay.
    let other_module = id(&module(&app, &token, &kept, json!({"title": "M"})).await);
    let other_lesson = id(&lesson(&app, &token, &other_module, json!({"title": "L"})).await);
    assert_eq!(
        upload_video(&app, &token, &other_lesson, &mp4(9, 4000), Some("60"))
            .await
            .status(),
        204
    );
    let other_workbook = workbook(&app, &token, &kept, "Boshqa", None, &pdf(9, 3000)).await;
    let others = stored(&app);
    assert_eq!(stored_under(&app, "videos/").len(), 2);
    assert_eq!(stored_under(&app, "workbooks/").len(), 3);

    assert_eq!(
        delete(&app, &format!("{ADMIN_COURSES}/{doomed}"), &token)
            .await
            .status(),
        204
    );

    let left = stored(&app);
    assert_eq!(stored_under(&app, "videos/").len(), 1, "{left:?}");
    assert_eq!(stored_under(&app, "workbooks/").len(), 1, "{left:?}");
    assert!(left.is_subset(&others));
    problem(
        get(&app, &format!("{ADMIN_COURSES}/{doomed}"), &token).await,
        404,
        "course.not_found",
    )
    .await;
    problem(
        app.get(&format!("{LESSONS}/{uploaded}")).await,
        404,
        "lesson.not_found",
    )
    .await;
    assert!(
        app.ports
            .videos
            .video_of(uploaded.parse().unwrap())
            .await
            .unwrap()
            .is_none()
    );
    let tree = json_of(
        get(&app, &format!("{ADMIN_COURSES}/{kept}"), &token).await,
        200,
    )
    .await;
    assert_eq!(ids(&tree["workbooks"]), [id(&other_workbook)]);
}

#[tokio::test]
async fn deleting_a_lesson_removes_its_uploaded_video_and_keeps_its_workbooks_for_the_course() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let maths = direction(&app, &token, "Matematika").await;
    let course_id = id(&course(&app, &token, &maths, "Algebra", json!({})).await);
    let module_id = id(&module(&app, &token, &course_id, json!({"title": "M"})).await);
    let doomed = id(&lesson(&app, &token, &module_id, json!({"title": "L1"})).await);
    assert_eq!(
        upload_video(&app, &token, &doomed, &mp4(3, 5000), Some("60"))
            .await
            .status(),
        204
    );
    let made = workbook(
        &app,
        &token,
        &course_id,
        "Dars daftari",
        Some(&doomed),
        &pdf(3, 3000),
    )
    .await;
    assert_eq!(stored_under(&app, "videos/").len(), 1);

    assert_eq!(
        delete(&app, &format!("{ADMIN_LESSONS}/{doomed}"), &token)
            .await
            .status(),
        204
    );
    assert!(
        stored_under(&app, "videos/").is_empty(),
        "{:?}",
        stored(&app)
    );
    assert_eq!(stored_under(&app, "workbooks/").len(), 1);
    let tree = json_of(
        get(&app, &format!("{ADMIN_COURSES}/{course_id}"), &token).await,
        200,
    )
    .await;
    assert_eq!(ids(&tree["workbooks"]), [id(&made)]);
    assert_eq!(tree["workbooks"][0]["lesson_id"], Value::Null, "{tree}");

    // Deleting a workbook removes its file.
    assert_eq!(
        delete(&app, &format!("{ADMIN_WORKBOOKS}/{}", id(&made)), &token)
            .await
            .status(),
        204
    );
    assert!(stored(&app).is_empty(), "{:?}", stored(&app));
    let tree = json_of(
        get(&app, &format!("{ADMIN_COURSES}/{course_id}"), &token).await,
        200,
    )
    .await;
    assert_eq!(tree["workbooks"], json!([]));
}

#[tokio::test]
async fn deleting_a_module_removes_the_uploaded_videos_of_its_lessons() {
    let app = spawn_app().await;
    let token = admin_token(&app).await;
    let maths = direction(&app, &token, "Matematika").await;
    let course_id = id(&course(&app, &token, &maths, "Algebra", json!({})).await);
    let doomed = id(&module(&app, &token, &course_id, json!({"title": "M1"})).await);
    let kept = id(&module(&app, &token, &course_id, json!({"title": "M2"})).await);
    for (i, module_id) in [&doomed, &doomed, &kept].into_iter().enumerate() {
        let lesson_id =
            id(&lesson(&app, &token, module_id, json!({"title": format!("L{i}")})).await);
        let seed = u8::try_from(i).unwrap();
        assert_eq!(
            upload_video(&app, &token, &lesson_id, &mp4(seed, 4000), Some("60"))
                .await
                .status(),
            204
        );
    }
    assert_eq!(stored_under(&app, "videos/").len(), 3);
    assert_eq!(
        delete(&app, &format!("{ADMIN_MODULES}/{doomed}"), &token)
            .await
            .status(),
        204
    );
    assert_eq!(stored_under(&app, "videos/").len(), 1);
    assert_eq!(
        module_outline(&app, &token, &course_id).await,
        outline(&["M2"])
    );
}

-- The search benchmark's catalogue (docs/performance.md, scenario 8): :courses published
-- courses of 10 modules × 10 lessons, in 20 subjects and 50 topics, added to whatever the
-- database holds. The words are plain Latin, so the folded search_text is lower(); the
-- word list is filled once at the end instead of by its trigger on every row.
\set ON_ERROR_STOP on
BEGIN;
ALTER TABLE lessons DISABLE TRIGGER lessons_search_words;
ALTER TABLE courses DISABLE TRIGGER courses_search_words;
CREATE TEMP TABLE subjects (n int, name text);
INSERT INTO subjects SELECT ordinality - 1, name FROM unnest(ARRAY[
  'matematika','fizika','kimyo','biologiya','tarix','geografiya','adabiyot','ingliz',
  'informatika','iqtisodiyot','huquq','falsafa','psixologiya','musiqa','astronomiya',
  'geometriya','algebra','ekologiya','statistika','dasturlash']) WITH ORDINALITY AS s(name);
CREATE TEMP TABLE topics (n int, name text);
INSERT INTO topics SELECT ordinality - 1, name FROM unnest(ARRAY[
  'tenglamalar','funksiyalar','kasrlar','hosilalar','integrallar','vektorlar','matritsalar',
  'ehtimollik','kombinatorika','logarifmlar','trigonometriya','progressiyalar','tengsizliklar',
  'koordinatalar','burchaklar','uchburchaklar','aylanalar','prizmalar','sferalar','chiziqlar',
  'kuchlar','energiya','tezlik','tebranishlar','toʻlqinlar','elektr','magnit','optika','atomlar',
  'molekulalar','reaksiyalar','kislotalar','tuzlar','hujayralar','genetika','evolyutsiya',
  'sivilizatsiya','imperiyalar','inqiloblar','xaritalar','iqlim','daryolar','sheʼriyat',
  'romanlar','grammatika','leksika','algoritmlar','massivlar','rekursiya','saralash']) WITH ORDINALITY AS t(name);
CREATE TEMP TABLE bench_courses AS
SELECT gen_random_uuid() AS id, i, s.name AS subject,
       format('%s %s-oqim kurs%s', initcap(s.name), 1 + i / 20, i) AS title,
       format('%s fanidan toʻliq kurs: video darslar va topshiriqlar, kurs%s', initcap(s.name), i) AS description
FROM generate_series(0, :courses - 1) AS i JOIN subjects s ON s.n = i % 20;
INSERT INTO courses (id, direction_id, title, title_search, search_text, description, level,
                     status, teacher_id, access_months, created_at, updated_at)
SELECT c.id, (SELECT id FROM directions ORDER BY position LIMIT 1), c.title, lower(c.title),
       replace(replace(lower(c.title || ' ' || c.description), 'ʻ', ''), '-', ' '),
       c.description, 'beginner', 'published', NULL, 6, now(), now()
FROM bench_courses c;
CREATE TEMP TABLE bench_modules AS
SELECT gen_random_uuid() AS id, c.id AS course_id, c.i, m, c.subject
FROM bench_courses c, generate_series(1, 10) AS m;
INSERT INTO modules (id, course_id, title, position)
SELECT id, course_id, format('%s-modul', m), m FROM bench_modules;
INSERT INTO lessons (id, module_id, title, search_text, description, position)
SELECT gen_random_uuid(), bm.id, x.title,
       replace(replace(lower(x.title || ' ' || x.description), 'ʻ', ''), 'ʼ', ''),
       x.description, l
FROM bench_modules bm, generate_series(1, 10) AS l,
     LATERAL (SELECT t.name AS topic FROM topics t WHERE t.n = (bm.i * 7 + bm.m * 10 + l) % 50) AS tp,
     LATERAL (SELECT format('%s %s', initcap(bm.subject), tp.topic) AS title,
                     format('kurs%s %s-dars: %s mavzusi, misollar va mashqlar', bm.i, l, tp.topic) AS description) AS x;
INSERT INTO search_words (word)
SELECT DISTINCT word FROM (
  SELECT unnest(tsvector_to_array(search_vector)) AS word FROM courses
  UNION ALL SELECT unnest(tsvector_to_array(search_vector)) FROM lessons) AS w
ON CONFLICT DO NOTHING;
COMMIT;
ALTER TABLE lessons ENABLE TRIGGER lessons_search_words;
ALTER TABLE courses ENABLE TRIGGER courses_search_words;
ANALYZE courses; ANALYZE modules; ANALYZE lessons; ANALYZE search_words;

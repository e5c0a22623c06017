-- Loading the plan into its tables (schema.sql). The whole plan is replaced in
-- one transaction whenever its content hash changes.

-- name: clear
DELETE FROM plan_departments;
DELETE FROM plan_department_aliases;
DELETE FROM plan_indicators;
DELETE FROM plan_indicator_targets;
DELETE FROM plan_indicator_units;
DELETE FROM plan_tasks;
DELETE FROM plan_task_units;
DELETE FROM plan_routes;
DELETE FROM plan_fleet;
DELETE FROM plan_goals;

-- name: insert_department
INSERT INTO plan_departments (name, short, is_group, position) VALUES (?, ?, ?, ?);

-- name: insert_department_alias
INSERT INTO plan_department_aliases (alias, department) VALUES (?, ?);

-- name: insert_indicator
INSERT INTO plan_indicators (indicator_no, name, unit, kind, source) VALUES (?, ?, ?, ?, ?);

-- name: insert_indicator_target
INSERT INTO plan_indicator_targets (indicator_no, year, target_text, kind, value, unit)
VALUES (?, ?, ?, ?, ?, ?);

-- name: insert_indicator_unit
INSERT INTO plan_indicator_units (indicator_no, department, role, position) VALUES (?, ?, ?, ?);

-- name: insert_task
INSERT INTO plan_tasks (task_no, group_no, group_name, name, task_text, measure, measure_name, source)
VALUES (?, ?, ?, ?, ?, ?, ?, ?);

-- name: insert_task_unit
INSERT INTO plan_task_units (task_no, department, role, position) VALUES (?, ?, ?, ?);

-- name: insert_route
INSERT INTO plan_routes (name, annual_target, unit, source, position) VALUES (?, ?, ?, ?, ?);

-- name: insert_fleet
INSERT INTO plan_fleet (category, target, at_least, unit, target_text, source, position)
VALUES (?, ?, ?, ?, ?, ?, ?);

-- name: insert_goal
INSERT INTO plan_goals (goal, name, kind, target, max_target, at_least, unit, target_text, source, task_no, position)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

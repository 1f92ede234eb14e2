-- Names of the users (identity.user.created), for the people columns of report downloads
-- (置业顾问, 审批人): a file shows 王小明（wang.xm）, not a user id. Every service keeps its copy.
CREATE TABLE IF NOT EXISTS staff_names (
    user_id      text PRIMARY KEY,
    username     text NOT NULL,
    display_name text NOT NULL DEFAULT ''
);

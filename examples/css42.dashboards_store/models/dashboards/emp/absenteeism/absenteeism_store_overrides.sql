-- Store-specific overrides of the core's absenteeism dashboard.
select * from {{ ref('absenteeism_base') }}

"""Nightly build of the css42 dashboards store, in its Docker image."""
from datetime import datetime

from airflow import DAG
from airflow.providers.docker.operators.docker import DockerOperator

with DAG(
    dag_id="css42_store",
    start_date=datetime(2023, 10, 1),
    schedule="0 4 * * *",
    catchup=False,
) as dag:
    DockerOperator(
        task_id="dbt_build",
        image="ghcr.io/css42/dashboards_store:1.4.0",
        command="build --target prod",
        environment={"DBT_PROD_PASSWORD": "{{ var.value.css42_prod_password }}"},
    )

"""The cafe and employee bot: handlers grouped by feature, registered in `app.build_application`."""

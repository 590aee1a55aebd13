import { Page } from "../../components/Page";
import { t } from "../../strings";

export default function Manage({ path }: { path: string }) {
  return <Page title={t.manage.title}>{path}</Page>;
}

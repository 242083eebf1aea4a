/** What a page the role may not use, or a path that is no page, shows instead. */
import { Notice } from '../components/notice.js';

export function NotAllowedPage(props: { role: string; what: string }) {
  return (
    <section>
      <h1>Not available</h1>
      <Notice kind="error">
        The role {props.role} may not see {props.what}.
      </Notice>
    </section>
  );
}

export function NotFoundPage() {
  return (
    <section>
      <h1>Page not found</h1>
      <Notice kind="info">There is no such page. Use the navigation above.</Notice>
    </section>
  );
}

/**
 * Token import: the Azure MFA OATH hardware-token CSV (`upn,serial number,secret key,time
 * interval,manufacturer,model`) read in the browser and posted as text/csv. Every bad line is
 * listed with its line number and field; with a bad line nothing is imported unless "import the
 * good lines" is ticked (`?partial=true`).
 */
import { useState } from 'preact/hooks';
import { ApiFailure, api, RawBody } from '../api-client.js';
import { CheckboxField } from '../components/choice-fields.js';
import { Notice } from '../components/notice.js';

interface RowProblem {
  line: number;
  field: string;
  message: string;
}

interface ImportAnswer {
  imported: number;
  errors: RowProblem[];
}

export function TokenImportPage() {
  const [file, setFile] = useState<File | null>(null);
  const [partial, setPartial] = useState(false);
  const [answer, setAnswer] = useState<ImportAnswer | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [running, setRunning] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setAnswer(null);
    setFailure(null);
    if (!file) {
      setFailure(new ApiFailure(0, 'bad_request', 'Choose a CSV file first.', 'file'));
      return;
    }
    setRunning(true);
    try {
      const text = await file.text();
      setAnswer(await api<ImportAnswer>('POST', `/api/v1/tokens/import${partial ? '?partial=true' : ''}`, new RawBody(text, 'text/csv')));
    } catch (error) {
      const failed = error as ApiFailure;
      setFailure(failed);
      const body = failed.body as Partial<ImportAnswer> | null;
      if (body && Array.isArray(body.errors)) setAnswer({ imported: body.imported ?? 0, errors: body.errors });
    } finally {
      setRunning(false);
    }
  };

  return (
    <section>
      <h1>Token import</h1>
      <section class="panel">
        <h2>Azure MFA OATH token CSV</h2>
        <p class="hint">
          The file Entra's "OATH tokens" upload takes: a header <code>upn,serial number,secret key,time interval,manufacturer,model</code>,
          then one token a line with its Base32 secret and a time interval of 30 or 60 seconds. Missing users are created.
        </p>
        <form onSubmit={submit} noValidate>
          <div class={failure?.field === 'file' ? 'field field-invalid' : 'field'}>
            <label for="field-file">CSV file</label>
            <input
              id="field-file"
              name="file"
              type="file"
              accept=".csv,text/csv"
              aria-describedby={failure?.field === 'file' ? 'field-file-error' : undefined}
              onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
            />
            {failure?.field === 'file' && (
              <p class="field-error" id="field-file-error" role="alert">
                {failure.message}
              </p>
            )}
          </div>
          <CheckboxField
            name="partial"
            label="Import the good lines even if some are bad"
            checked={partial}
            onChange={setPartial}
            hint="Left unticked, one bad line means nothing is imported."
          />
          <div class="actions">
            <button type="submit" disabled={running}>
              Import tokens
            </button>
          </div>
        </form>
      </section>
      {failure && failure.field !== 'file' && <Notice kind="error">{failure.message}</Notice>}
      {answer && (
        <section class="panel">
          <h2>Result</h2>
          <Notice kind={answer.errors.length === 0 ? 'success' : answer.imported > 0 ? 'info' : 'error'}>
            {answer.imported} token(s) imported, {answer.errors.length} bad line(s).
          </Notice>
          {answer.errors.length > 0 && (
            <table class="import-errors">
              <caption>Bad lines</caption>
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Field</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {answer.errors.map((e) => (
                  <tr key={`${e.line}-${e.field}`}>
                    <td>{e.line}</td>
                    <td>
                      <code>{e.field}</code>
                    </td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </section>
  );
}

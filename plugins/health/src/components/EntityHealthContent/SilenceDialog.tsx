import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { MAX_SILENCE_DAYS } from '@platform-portal/backstage-plugin-health-common';
import { useState } from 'react';
import { errorMessage } from '../shared/format';

const HOUR = 3600_000;

/** A `datetime-local` input's value for a time, in the browser's zone. */
function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(
    date.getDate(),
  )}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * Why and until when to silence the entity's alerts; the backend checks the
 * permission, the reason (3 to 500 characters) and the end (in the future,
 * at most 7 days ahead) and its message is shown as it is.
 */
export function SilenceDialog(props: {
  open: boolean;
  onClose: () => void;
  onSilence: (request: { reason: string; endsAt: string }) => Promise<void>;
}) {
  const [reason, setReason] = useState('');
  const [end, setEnd] = useState(() =>
    localInput(new Date(Date.now() + 2 * HOUR)),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const endsAt = new Date(end);
  const endValid = !Number.isNaN(endsAt.getTime());
  const canSubmit = reason.trim().length >= 3 && endValid && !busy;

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onSilence({
        reason: reason.trim(),
        endsAt: endsAt.toISOString(),
      });
      setReason('');
      props.onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={props.open} onClose={props.onClose} fullWidth maxWidth="sm">
      <DialogTitle>Silence this service's alerts</DialogTitle>
      <DialogContent>
        <Typography variant="body2" paragraph>
          Creates a silence in Alertmanager on the service's alert selector, in
          your name, for at most {MAX_SILENCE_DAYS} days. Alerts still fire and
          stay listed here, marked as silenced; nobody is paged for them.
        </Typography>
        <TextField
          id="silence-reason"
          label="Reason"
          value={reason}
          onChange={e => setReason(e.target.value)}
          helperText="Why, for whoever is on call (3 to 500 characters)"
          inputProps={{ maxLength: 500 }}
          fullWidth
          required
          margin="normal"
        />
        <TextField
          id="silence-ends-at"
          label="Ends at"
          type="datetime-local"
          value={end}
          onChange={e => setEnd(e.target.value)}
          InputLabelProps={{ shrink: true }}
          helperText={`Your local time; at most ${MAX_SILENCE_DAYS} days from now`}
          fullWidth
          required
          margin="normal"
        />
        {error && (
          <Typography color="error" variant="body2" role="alert">
            {error}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={!canSubmit}
          onClick={submit}
        >
          Silence
        </Button>
      </DialogActions>
    </Dialog>
  );
}

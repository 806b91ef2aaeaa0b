import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import ErrorIcon from '@material-ui/icons/Error';
import WarningIcon from '@material-ui/icons/Warning';
import HelpIcon from '@material-ui/icons/Help';
import { BackupReason } from '@platform-portal/backstage-plugin-backup-status-common';

const ICONS = {
  critical: <ErrorIcon color="error" titleAccess="critical" />,
  warning: <WarningIcon style={{ color: '#b26a00' }} titleAccess="warning" />,
  unknown: <HelpIcon color="disabled" titleAccess="unknown" />,
};

/** The reasons of a status, in words. */
export function ReasonList(props: { reasons: BackupReason[] }) {
  if (props.reasons.length === 0) {
    return (
      <ListItemText primary="All checks pass: backups are fresh, complete and restore-tested." />
    );
  }
  return (
    <List dense>
      {props.reasons.map(reason => (
        <ListItem key={reason.code}>
          <ListItemIcon>{ICONS[reason.severity]}</ListItemIcon>
          <ListItemText primary={reason.message} secondary={reason.code} />
        </ListItem>
      ))}
    </List>
  );
}

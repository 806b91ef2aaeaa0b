import { StatusBar } from 'expo-status-bar';
import * as Updates from 'expo-updates';
import { StyleSheet, Text, View } from 'react-native';
import { describeUpdate } from './src/describeUpdate';

const title = ${{ values.title | dump }};

export default function App() {
  return (
    <View style={styles.container}>
      <Text style={styles.title}>{title}</Text>
      <Text style={styles.meta}>
        {describeUpdate(Updates.channel, Updates.updateId, Updates.isEmbeddedLaunch)}
      </Text>
      <StatusBar style="auto" />
    </View>
  );
}

const styles = StyleSheet.create({
  container: {
    flex: 1,
    alignItems: 'center',
    justifyContent: 'center',
    backgroundColor: '#fff',
    padding: 24,
  },
  title: {
    fontSize: 24,
    fontWeight: '600',
    marginBottom: 8,
  },
  meta: {
    color: '#666',
  },
});
